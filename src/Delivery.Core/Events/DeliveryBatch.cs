using System.Collections;
using System.Diagnostics;

namespace Delivery.Core.Events;

/// <summary>A read-only batch of events for one destination, with the trace context of its delivery.</summary>
public sealed class DeliveryBatch : IReadOnlyList<DeliveryEvent>
{
    private readonly IReadOnlyList<DeliveryEvent> _events;

    /// <summary>Creates a batch.</summary>
    public DeliveryBatch(string destination, IReadOnlyList<DeliveryEvent> events, ActivityContext traceContext = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(events);
        Destination = destination;
        _events = events;
        TraceContext = traceContext;
    }

    /// <summary>The destination name (the key under <c>Delivery:Destinations</c>).</summary>
    public string Destination { get; }

    /// <summary>The trace context of this batch's delivery span.</summary>
    public ActivityContext TraceContext { get; }

    /// <inheritdoc />
    public int Count => _events.Count;

    /// <inheritdoc />
    public DeliveryEvent this[int index] => _events[index];

    /// <summary>A batch of the events at <paramref name="indices"/> (used to split or resend part of a batch).</summary>
    public DeliveryBatch Slice(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var events = new DeliveryEvent[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            events[i] = _events[indices[i]];
        }

        return new DeliveryBatch(Destination, events, TraceContext);
    }

    /// <inheritdoc />
    public IEnumerator<DeliveryEvent> GetEnumerator() => _events.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
