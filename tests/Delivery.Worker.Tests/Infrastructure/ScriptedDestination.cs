using System.Collections.Concurrent;
using Delivery.Core;
using Delivery.Core.Options;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// A destination driven by per-event scripts keyed by event id (by attempt, so it is deterministic across restarts
/// and rebalances). Records every call and every accepted event. <see cref="Override"/> replaces the whole answer
/// (outages, short or long responses).
/// </summary>
internal sealed class ScriptedDestination : IDestinationHandlerFactory, IDestinationHandler
{
    public const string TypeName = "Scripted";

    private readonly ConcurrentDictionary<string, EventScript> _scripts = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = TimeProvider.System;

    public ScriptedDestination(Func<string, EventScript>? defaultScript = null) => DefaultScript = defaultScript ?? (_ => EventScript.Succeed);

    public Func<string, EventScript> DefaultScript { get; }

    /// <summary>When set and it returns non-null, that is the answer (or it throws).</summary>
    public Func<DeliveryBatch, MultiStatusResponse?>? Override { get; set; }

    public ConcurrentQueue<(string EventId, int Attempt, DateTimeOffset At)> Delivered { get; } = new();

    public ConcurrentQueue<(string EventId, int Attempt, DateTimeOffset At)> Seen { get; } = new();

    public int Calls => _calls;

    private int _calls;

    public void Script(string eventId, EventScript script) => _scripts[eventId] = script;

    public IReadOnlyList<string> Validate(string destination, DestinationOptions options) => [];

    public IDestinationHandler Create(string destination, DestinationOptions options) => this;

    /// <summary>Simulated destination latency per call (the work a real destination does; not synchronisation).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Handler calls that started (before the simulated latency).</summary>
    public int CallsStarted => _started;

    private int _started;

    public async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, _time, cancellationToken);
        }

        return Answer(batch);
    }

    private MultiStatusResponse Answer(DeliveryBatch batch)
    {
        Interlocked.Increment(ref _calls);
        var now = _time.GetUtcNow();
        foreach (var evt in batch)
        {
            Seen.Enqueue((evt.EventId, evt.Attempt, now));
        }

        if (Override?.Invoke(batch) is { } overridden)
        {
            return overridden;
        }

        var verdicts = batch.Select(e => _scripts.GetValueOrDefault(e.EventId) ?? DefaultScript(e.EventId)).Select((s, i) => s.For(batch[i].Attempt)).ToList();
        if (verdicts.OfType<Verdict.UnavailableVerdict>().FirstOrDefault() is { } down)
        {
            throw new DestinationUnavailableException("scripted outage", 503, down.RetryAfter);
        }

        if (verdicts.Any(v => v is Verdict.ThrowVerdict))
        {
            throw new InvalidOperationException("scripted handler bug");
        }

        var response = new MultiStatusResponse(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            switch (verdicts[i])
            {
                case Verdict.FailVerdict fail:
                    response.PushErrorResponse(new ActionDestinationErrorResponse
                    {
                        Status = fail.Status,
                        ErrorType = fail.ErrorType!,
                        ErrorMessage = $"scripted failure {fail.Status}",
                        RetryAfter = fail.RetryAfter,
                    });
                    break;
                default:
                    response.PushSuccessResponse(new ActionDestinationSuccessResponse { Status = 200 });
                    Delivered.Enqueue((batch[i].EventId, batch[i].Attempt, now));
                    break;
            }
        }

        return response;
    }
}
