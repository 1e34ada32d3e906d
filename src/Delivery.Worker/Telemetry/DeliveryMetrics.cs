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

    /// <summary>Bucket bounds of the duration histograms, in seconds (1 ms … 60 s).</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Bucket bounds of the event age histogram, in seconds (10 ms … 4 h: the retry ladder's span).</summary>
    public static readonly IReadOnlyList<double> AgeBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400];

    /// <summary>Bucket bounds of the events-per-batch histogram.</summary>
    public static readonly IReadOnlyList<long> BatchSizeBuckets = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

    /// <summary>Bucket bounds of the attempts histogram.</summary>
    public static readonly IReadOnlyList<long> AttemptBuckets = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 50];

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
    private readonly Counter<long> _resilienceEvents;
    private readonly Counter<long> _commitFailures;
    private readonly Counter<long> _requeued;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Func<DestinationGauges>> _gauges = new(StringComparer.Ordinal);

    public DeliveryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        // No meter tags: a tag would become a scope label on every series. Hosts in one process (the tests) are kept
        // apart by meter factory (TelemetryServiceCollectionExtensions), listeners by meter reference (Meter).
        _meter = meterFactory.Create(MeterName);
        _consumed = _meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Records consumed from Kafka.");
        _sent = _meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Records produced to retry and dead-letter topics.");
        _processDuration = _meter.CreateHistogram("messaging.process.duration", "s", "Time from a batch being cut to its outcomes being resolved.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _events = _meter.CreateCounter<long>("delivery.events", "{event}", "Events by outcome: delivered, retried, dead_lettered, held.");
        _batches = _meter.CreateCounter<long>("delivery.batches", "{batch}", "Batches handed to a handler, by result.");
        _batchEvents = _meter.CreateHistogram("delivery.batch.events", "{event}", "Events per batch.", tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchSizeBuckets });
        _handlerDuration = _meter.CreateHistogram("delivery.handler.duration", "s", "Handler call duration.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _eventAge = _meter.CreateHistogram("delivery.event.age", "s", "Age of an event (since its first attempt) when it is resolved.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AgeBuckets });
        _attempts = _meter.CreateHistogram("delivery.attempts", "{attempt}", "Attempts an event took when it was resolved.", tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = AttemptBuckets });
        _contractViolations = _meter.CreateCounter<long>("delivery.contract.violations", "{slot}", "Handler responses with missing or extra slots.");
        _resilienceEvents = _meter.CreateCounter<long>("delivery.resilience.events", "{event}", "Resilience events of the handler pipelines (hold retries, circuit opened/closed, timeouts), by strategy and event.");
        _commitFailures = _meter.CreateCounter<long>("delivery.commit.failures", "{commit}", "Offset commits that failed (the alert rules watch it).");
        _requeued = _meter.CreateCounter<long>("delivery.retry.requeued", "{record}", "Not-yet-due retry records moved unchanged to the tail of their tier because their wait exceeded the tier's bound while records waited behind them.");
        _meter.CreateObservableGauge("delivery.inflight.events", () => Observe(static g => g.InFlightEvents), "{event}", "Consumed events not yet resolved.");
        _meter.CreateObservableGauge("delivery.consumer.lag", () => Observe(static g => g.Lag), "{message}", "Records behind the high watermark, summed over assigned partitions.");
        _meter.CreateObservableGauge("delivery.circuit.open", () => Observe(static g => g.CircuitOpen ? 1 : 0), "{destination}", "1 while a destination is held (circuit open).");
        _meter.CreateObservableGauge("delivery.concurrency.limit", () => Observe(static g => g.ConcurrencyLimit), "{call}", "Handler calls allowed at once: Batch:MaxConcurrent, halved on 429/503/Retry-After, grown back by one per healthy interval.");
    }

    /// <summary>This instance's meter (listeners in the same process tell it from other hosts' meters by reference).</summary>
    public Meter Meter => _meter;

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

    /// <summary>
    /// Counts events by outcome. <paramref name="outcome"/>: delivered, retried, dead_lettered, held.
    /// Pass <paramref name="tier"/> (1-based retry tier) for retried events and <paramref name="reason"/>
    /// (the <c>delivery-dlq-reason</c>) for dead-lettered ones; the dashboard breaks them down by those tags.
    /// </summary>
    public void Events(string destination, string outcome, string? errorType, long count, int? tier = null, string? reason = null)
    {
        var tags = new TagList { { "destination", destination }, { "outcome", outcome }, { "error.type", errorType ?? "none" } };
        if (tier is { } t)
        {
            tags.Add("tier", t.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (reason is not null)
        {
            tags.Add("reason", reason);
        }

        _events.Add(count, tags);
    }

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

    /// <summary>Counts one failed offset commit (called where the consume loop logs CommitFailed).</summary>
    public void CommitFailed(string destination) =>
        _commitFailures.Add(1, new KeyValuePair<string, object?>("destination", destination));

    /// <summary>Counts one tier record requeued to the tail of tier <paramref name="tier"/> (TierHeadRule).</summary>
    public void Requeued(string destination, int tier) =>
        _requeued.Add(1, new TagList { { "destination", destination }, { "tier", tier.ToString(System.Globalization.CultureInfo.InvariantCulture) } });

    public void ContractViolations(string destination, int count) =>
        _contractViolations.Add(count, new KeyValuePair<string, object?>("destination", destination));

    /// <summary>Counts a resilience event (Polly telemetry) of a destination's handler pipeline.</summary>
    public void ResilienceEvent(string destination, string strategy, string eventName) =>
        _resilienceEvents.Add(1, new TagList { { "destination", destination }, { "strategy", strategy }, { "event", eventName } });

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
