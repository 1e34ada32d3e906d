using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// The destination of the timeliness scenario (keyed type <c>BenchTimeline</c>): answers after a fixed service time;
/// records, per event, the time from the source record's timestamp to its arrival here (end-to-end latency) and, when
/// <see cref="FailFirstAttempt"/> is set, fails every first attempt (per-slot 503) and records when the second attempt
/// arrives (wall clock, the clock the worker stamps <c>delivery-not-before</c> with) and how late that is after the
/// moment of the failure + the retry delay (an upper bound: the not-before is stamped a little after the failure).
/// While <see cref="Down"/>, every call fails destination-level (the batch is held).
/// </summary>
internal sealed class TimelineDestination(TimeSpan serviceTime) : IDestinationHandler
{
    private static readonly ActionDestinationSuccessResponse Ok = new() { Status = 200 };
    private static readonly ActionDestinationErrorResponse Transient = new() { Status = 503, ErrorMessage = "benchmark first attempt" };
    private readonly ConcurrentDictionary<int, long> _failedAt = new();
    private readonly ConcurrentQueue<(int Index, double Ms)> _latency = new();
    private readonly ConcurrentQueue<double> _lateness = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _retriedAt = new(StringComparer.Ordinal);
    private long _delivered;
    private long _deliveredBelow;
    private int _threshold = int.MaxValue;
    private long _calls;

    public bool FailFirstAttempt { get; init; }

    public TimeSpan RetryDelay { get; init; }

    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Delivered events whose index is below <see cref="SetThreshold"/>'s value (every one before it is set).</summary>
    public long DeliveredBelowThreshold => Interlocked.Read(ref _deliveredBelow);

    public void SetThreshold(int index) => Volatile.Write(ref _threshold, index);

    /// <summary>End-to-end latencies (ms) of events with index ≥ <paramref name="from"/>.</summary>
    public double[] Latencies(int from) => [.. _latency.Where(l => l.Index >= from).Select(l => l.Ms)];

    /// <summary>Lateness (ms) of each second attempt after its first failure + <see cref="RetryDelay"/> (an upper bound).</summary>
    public double[] Lateness() => [.. _lateness];

    /// <summary>When each retried event's second attempt arrived (UTC), by event id.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> RetriedAt => _retriedAt;

    public async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var arrived = TimeProvider.System.GetUtcNow();
        var arrivedTs = Stopwatch.GetTimestamp();
        if (Down)
        {
            throw new DestinationUnavailableException("benchmark outage");
        }

        if (serviceTime > TimeSpan.Zero)
        {
            await Task.Delay(serviceTime, cancellationToken).ConfigureAwait(false);
        }

        var response = new MultiStatusResponse(batch.Count);
        var threshold = Volatile.Read(ref _threshold);
        foreach (var evt in batch)
        {
            var index = Index(evt.EventId);
            if (FailFirstAttempt && evt.Attempt <= 1)
            {
                _failedAt[index] = Stopwatch.GetTimestamp();
                response.PushErrorResponse(Transient);
                continue;
            }

            if (FailFirstAttempt && _failedAt.TryGetValue(index, out var failed))
            {
                _lateness.Enqueue((Stopwatch.GetElapsedTime(failed, arrivedTs) - RetryDelay).TotalMilliseconds);
                _retriedAt.TryAdd(evt.EventId, arrived);
            }
            else
            {
                _latency.Enqueue((index, (arrived - evt.Origin.Timestamp).TotalMilliseconds));
            }

            Interlocked.Increment(ref _delivered);
            if (index < threshold)
            {
                Interlocked.Increment(ref _deliveredBelow);
            }

            response.PushSuccessResponse(Ok);
        }

        return response;
    }

    private static int Index(string eventId)
        => eventId.StartsWith("evt-", StringComparison.Ordinal) && int.TryParse(eventId.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1;
}
