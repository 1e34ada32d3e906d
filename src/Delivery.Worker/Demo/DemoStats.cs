using System.Diagnostics.Metrics;
using Delivery.Worker.Telemetry;

namespace Delivery.Worker.Demo;

/// <summary>
/// Counts what the worker reports through <see cref="DeliveryMetrics"/> (the same instruments /metrics shows): consumed,
/// delivered, retried per tier (records sent to <c>{prefix}.N</c>), dead-lettered, held. Listens to one
/// <see cref="DeliveryMetrics"/> instance only.
/// </summary>
internal sealed class DemoStats : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly System.Diagnostics.Metrics.Meter _meter;
    private readonly string _retryPrefix;
    private readonly string _deadLetterTopic;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, long> _retriedByTier = [];
    private long _consumed;
    private long _delivered;
    private long _deadLettered;
    private long _held;

    /// <summary>Starts listening to <paramref name="metrics"/>.</summary>
    public DemoStats(DeliveryMetrics metrics, string retryTopicPrefix, string deadLetterTopic)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _meter = metrics.Meter;
        _retryPrefix = retryTopicPrefix + ".";
        _deadLetterTopic = deadLetterTopic;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter)
                && instrument.Name is "messaging.client.consumed.messages" or "messaging.client.sent.messages" or "delivery.events")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Records consumed (source and retry topics).</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    /// <summary>Events delivered.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events dead-lettered.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Events in batches that were held (destination down), counted per hold.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>Records sent to each retry tier.</summary>
    public IReadOnlyDictionary<int, long> RetriedByTier
    {
        get
        {
            lock (_gate)
            {
                return new SortedDictionary<int, long>(_retriedByTier);
            }
        }
    }

    /// <summary>Records sent to all retry tiers.</summary>
    public long Retried => RetriedByTier.Values.Sum();

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case "messaging.client.consumed.messages":
                Interlocked.Add(ref _consumed, value);
                break;
            case "delivery.events":
                switch (Tag(tags, "outcome"))
                {
                    case "delivered":
                        Interlocked.Add(ref _delivered, value);
                        break;
                    case "dead_lettered":
                        Interlocked.Add(ref _deadLettered, value);
                        break;
                    case "held":
                        Interlocked.Add(ref _held, value);
                        break;
                }

                break;
            case "messaging.client.sent.messages":
                var topic = Tag(tags, "messaging.destination.name");
                if (topic is not null && topic != _deadLetterTopic && topic.StartsWith(_retryPrefix, StringComparison.Ordinal)
                    && int.TryParse(topic.AsSpan(_retryPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var tier))
                {
                    lock (_gate)
                    {
                        _retriedByTier[tier] = _retriedByTier.GetValueOrDefault(tier) + value;
                    }
                }

                break;
        }
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
