using System.Threading.RateLimiting;
using Delivery.Core.Options;

namespace Delivery.Worker.Pipeline.Controls;

/// <summary>
/// What a handler call of one destination waits for before it starts: a slot of the adaptive concurrency limit, then
/// its tokens from the events bucket (one per event) and the requests bucket (one). Nothing is refused or dropped: a
/// call waits, the batch stays in flight, and consumption slows through the normal backpressure. Thread-safe.
/// </summary>
internal sealed class DeliveryControls : IDisposable
{
    private readonly TokenBucketRateLimiter? _events;
    private readonly TokenBucketRateLimiter? _requests;
    private readonly AdaptiveConcurrencyLimiter? _concurrency;
    private readonly ITimer? _replenish;
    private readonly int _maxConcurrent;

    public DeliveryControls(DestinationOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.RateLimit;
        _maxConcurrent = Math.Max(1, options.Batch.MaxConcurrent);
        _events = TokenBuckets.Create(limits.EventsPerSecond, limits.EffectiveEventsBurst);
        _requests = TokenBuckets.Create(limits.RequestsPerSecond, limits.EffectiveRequestsBurst);
        _concurrency = options.Concurrency.Adaptive ? new AdaptiveConcurrencyLimiter(_maxConcurrent, options.Concurrency.HealthyInterval, time) : null;
        MaxEventsPerCall = _events is null ? int.MaxValue : limits.EffectiveEventsBurst;
        if (_events is not null || _requests is not null)
        {
            _replenish = time.CreateTimer(static state => ((DeliveryControls)state!).Replenish(), this, TokenBuckets.Step, TokenBuckets.Step);
        }
    }

    /// <summary>Most events one call may carry (the events bucket's size); a larger batch is delivered in parts.</summary>
    public int MaxEventsPerCall { get; }

    /// <summary>The current concurrency limit (MaxConcurrent when not adaptive).</summary>
    public int ConcurrencyLimit => _concurrency?.Limit ?? _maxConcurrent;

    /// <summary>
    /// Waits for a concurrency slot and the tokens of a call of <paramref name="events"/> events (at most
    /// <see cref="MaxEventsPerCall"/>). Cancellation ends the wait (<see cref="OperationCanceledException"/>) and gives
    /// the slot back.
    /// </summary>
    public async ValueTask<ConcurrencySlot?> AcquireAsync(int events, CancellationToken cancellationToken)
    {
        ConcurrencySlot? slot = _concurrency is null ? null : await _concurrency.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_events is not null)
            {
                await TakeAsync(_events, Math.Min(events, MaxEventsPerCall), cancellationToken).ConfigureAwait(false);
            }

            if (_requests is not null)
            {
                await TakeAsync(_requests, 1, cancellationToken).ConfigureAwait(false);
            }

            return slot;
        }
        catch
        {
            Release(slot, CallSignal.Neutral);
            throw;
        }
    }

    /// <summary>Gives the call's slot back with what it said about the destination.</summary>
    public void Release(ConcurrencySlot? slot, CallSignal signal)
    {
        if (slot is { } taken)
        {
            _concurrency?.Release(taken, signal);
        }
    }

    public void Dispose()
    {
        _replenish?.Dispose();
        _events?.Dispose();
        _requests?.Dispose();
    }

    /// <summary>Tops the buckets up by what the time since their last replenishment earned (timer callback).</summary>
    private void Replenish()
    {
        try
        {
            _events?.TryReplenish();
            _requests?.TryReplenish();
        }
        catch (ObjectDisposedException)
        {
            // A last tick racing Dispose.
        }
    }

    private static async ValueTask TakeAsync(TokenBucketRateLimiter bucket, int permits, CancellationToken cancellationToken)
    {
        using var lease = await bucket.AcquireAsync(permits, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            // Not expected with an unbounded queue; a refusal must not turn into a dropped call.
            throw new InvalidOperationException($"The rate limiter refused {permits} permits.");
        }
    }
}
