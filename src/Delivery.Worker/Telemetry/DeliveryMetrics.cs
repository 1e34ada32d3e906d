using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Delivery.Worker.Telemetry;

/// <summary>
/// Every metric the worker emits (meter <see cref="MeterName"/>). Tags are low-cardinality only:
/// destination, outcome, error.type, tier, reason, messaging.destination.name (topics, not partitions).
/// </summary>
internal sealed class DeliveryMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Delivery.Worker";

    /// <summary>The activity source name (one span per batch delivery).</summary>
    public const string ActivitySourceName = "Delivery.Worker";

    private readonly Meter _meter;
    private readonly Counter<long> _consumed;
    private readonly Counter<long> _sent;
    private readonly Histogram<double> _processDuration;
    private readonly Counter<long> _events;
    private readonly Counter<long> _batches;
    private readonly Histogram<long> _batchEvents;
    private readonly Histogram<double> _handlerDuration;
    private readonly Histogram<double> _eventAge;
    private readonly Histogram<long> _attempts;
    private readonly Counter<long> _contractViolations;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Func<DestinationGauges>> _gauges = new(StringComparer.Ordinal);

    public DeliveryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _consumed = _meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Records consumed from Kafka.");
        _sent = _meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Records produced to retry and dead-letter topics.");
        _processDuration = _meter.CreateHistogram<double>("messaging.process.duration", "s", "Time from a batch being cut to its outcomes being resolved.");
        _events = _meter.CreateCounter<long>("delivery.events", "{event}", "Events by outcome: delivered, retried, dead_lettered, held.");
        _batches = _meter.CreateCounter<long>("delivery.batches", "{batch}", "Batches handed to a handler, by result.");
        _batchEvents = _meter.CreateHistogram<long>("delivery.batch.events", "{event}", "Events per batch.");
        _handlerDuration = _meter.CreateHistogram<double>("delivery.handler.duration", "s", "Handler call duration.");
        _eventAge = _meter.CreateHistogram<double>("delivery.event.age", "s", "Age of an event (since its first attempt) when it is resolved.");
        _attempts = _meter.CreateHistogram<long>("delivery.attempts", "{attempt}", "Attempts an event took when it was resolved.");
        _contractViolations = _meter.CreateCounter<long>("delivery.contract.violations", "{slot}", "Handler responses with missing or extra slots.");
        _meter.CreateObservableGauge("delivery.inflight.events", () => Observe(static g => g.InFlightEvents), "{event}", "Consumed events not yet resolved.");
        _meter.CreateObservableGauge("delivery.consumer.lag", () => Observe(static g => g.Lag), "{message}", "Records behind the high watermark, summed over assigned partitions.");
        _meter.CreateObservableGauge("delivery.circuit.open", () => Observe(static g => g.CircuitOpen ? 1 : 0), "{destination}", "1 while a destination is held (circuit open).");
    }

    /// <summary>Registers the gauges of one destination's pipeline; the callback must be cheap and thread-safe.</summary>
    public void RegisterDestination(string destination, Func<DestinationGauges> gauges)
    {
        lock (_gate)
        {
            _gauges[destination] = gauges;
        }
    }

    /// <summary>Removes a destination's gauges (pipeline stopped).</summary>
    public void UnregisterDestination(string destination)
    {
        lock (_gate)
        {
            _gauges.Remove(destination);
        }
    }

    public void Consumed(string destination, string topic, long count) =>
        _consumed.Add(count, new TagList { { "destination", destination }, { "messaging.destination.name", topic }, { "messaging.system", "kafka" } });

    public void Sent(string destination, string topic, long count) =>
        _sent.Add(count, new TagList { { "destination", destination }, { "messaging.destination.name", topic }, { "messaging.system", "kafka" } });

    public void ProcessDuration(string destination, TimeSpan duration) =>
        _processDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("destination", destination));

    /// <summary>Counts events by outcome. <paramref name="outcome"/>: delivered, retried, dead_lettered, held.</summary>
    public void Events(string destination, string outcome, string? errorType, long count) =>
        _events.Add(count, new TagList { { "destination", destination }, { "outcome", outcome }, { "error.type", errorType ?? "none" } });

    /// <summary>Counts a batch. <paramref name="result"/>: resolved, held, failed.</summary>
    public void Batch(string destination, string result, int events)
    {
        _batches.Add(1, new TagList { { "destination", destination }, { "result", result } });
        _batchEvents.Record(events, new KeyValuePair<string, object?>("destination", destination));
    }

    public void HandlerDuration(string destination, TimeSpan duration) =>
        _handlerDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("destination", destination));

    public void EventResolved(string destination, TimeSpan age, int attempts)
    {
        _eventAge.Record(age.TotalSeconds, new KeyValuePair<string, object?>("destination", destination));
        _attempts.Record(attempts, new KeyValuePair<string, object?>("destination", destination));
    }

    public void ContractViolations(string destination, int count) =>
        _contractViolations.Add(count, new KeyValuePair<string, object?>("destination", destination));

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> Observe(Func<DestinationGauges, long> select)
    {
        KeyValuePair<string, Func<DestinationGauges>>[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _gauges];
        }

        foreach (var (destination, read) in snapshot)
        {
            yield return new Measurement<long>(select(read()), new KeyValuePair<string, object?>("destination", destination));
        }
    }
}
