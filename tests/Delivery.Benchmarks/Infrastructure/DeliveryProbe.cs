using System.Diagnostics;
using System.Diagnostics.Metrics;
using Delivery.Worker.Telemetry;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// Watches the worker's own metrics (meter <c>Delivery.Worker</c>) for one destination: the first record consumed, events
/// delivered, retried and dead-lettered, with Stopwatch timestamps of the first consumption and the last resolution.
/// Non-invasive: the pipeline runs unmodified.
/// </summary>
internal sealed class DeliveryProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _destination;
    private long _consumed;
    private long _delivered;
    private long _retried;
    private long _deadLettered;
    private long _firstConsumed;
    private long _lastResolved;

    public DeliveryProbe(string destination)
    {
        _destination = destination;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DeliveryMetrics.MeterName && instrument.Name is "messaging.client.consumed.messages" or "delivery.events")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Records consumed up to the first measurement (the probe stops counting consumption after it).</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Retried => Interlocked.Read(ref _retried);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Stopwatch timestamp of the first record consumed (0 until then).</summary>
    public long FirstConsumedAt => Interlocked.Read(ref _firstConsumed);

    /// <summary>Stopwatch timestamp of the last event delivered or dead-lettered.</summary>
    public long LastResolvedAt => Interlocked.Read(ref _lastResolved);

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? destination = null;
        string? outcome = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "destination":
                    destination = tag.Value as string;
                    break;
                case "outcome":
                    outcome = tag.Value as string;
                    break;
            }
        }

        if (destination != _destination)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (instrument.Name == "messaging.client.consumed.messages")
        {
            // Only the first consumption is needed: stop listening, so the probe costs the consume thread nothing after it.
            Interlocked.CompareExchange(ref _firstConsumed, now, 0);
            Interlocked.Add(ref _consumed, value);
            _listener.DisableMeasurementEvents(instrument);
            return;
        }

        switch (outcome)
        {
            case "delivered":
                Interlocked.Add(ref _delivered, value);
                Interlocked.Exchange(ref _lastResolved, now);
                break;
            case "dead_lettered":
                Interlocked.Add(ref _deadLettered, value);
                Interlocked.Exchange(ref _lastResolved, now);
                break;
            case "retried":
                Interlocked.Add(ref _retried, value);
                break;
        }
    }
}
