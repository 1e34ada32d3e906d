using Confluent.Kafka;
using Delivery.Core.Events;

namespace Delivery.Worker.Kafka;

/// <summary>
/// What the consume loop reads from a source record's headers, gathered in one pass: the configured event-id header,
/// <c>delivery-event-id</c>, <c>delivery-redrive-count</c>, <c>traceparent</c> (each its last value) and the headers
/// handed to the destination (every header except <c>delivery-*</c>, in order).
/// </summary>
/// <param name="CustomEventId">The configured event-id header's last value (raw bytes), or null.</param>
/// <param name="DeliveryEventId">The <c>delivery-event-id</c> header's last value (raw bytes), or null.</param>
/// <param name="RedriveCount">The <c>delivery-redrive-count</c> header's last value (raw bytes), or null.</param>
/// <param name="TraceParent">The <c>traceparent</c> header's last value (raw bytes), or null.</param>
/// <param name="EventHeaders">The headers without <c>delivery-*</c> ones.</param>
internal readonly record struct SourceRecordHeaders(
    byte[]? CustomEventId,
    byte[]? DeliveryEventId,
    byte[]? RedriveCount,
    byte[]? TraceParent,
    IReadOnlyList<EventHeader> EventHeaders)
{
    /// <summary>Scans <paramref name="headers"/> once; <paramref name="eventIdHeader"/> may be null or empty.</summary>
    public static SourceRecordHeaders Read(Headers? headers, string? eventIdHeader)
    {
        if (headers is null || headers.Count == 0)
        {
            return new(null, null, null, null, []);
        }

        byte[]? custom = null, deliveryId = null, redrive = null, traceParent = null;
        EventHeader[]? kept = null;
        var count = 0;
        var checkCustom = !string.IsNullOrEmpty(eventIdHeader);
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            var key = header.Key;
            if (checkCustom && string.Equals(key, eventIdHeader, StringComparison.Ordinal))
            {
                custom = header.GetValueBytes();
            }

            if (DeliveryHeaderCodec.IsDeliveryHeader(key))
            {
                if (string.Equals(key, DeliveryHeaders.EventId, StringComparison.Ordinal))
                {
                    deliveryId = header.GetValueBytes();
                }
                else if (string.Equals(key, DeliveryHeaders.RedriveCount, StringComparison.Ordinal))
                {
                    redrive = header.GetValueBytes();
                }

                continue;
            }

            if (string.Equals(key, "traceparent", StringComparison.Ordinal))
            {
                traceParent = header.GetValueBytes();
            }

            kept ??= new EventHeader[headers.Count];
            kept[count++] = new EventHeader(key, header.GetValueBytes() ?? []);
        }

        IReadOnlyList<EventHeader> eventHeaders = count == 0
            ? []
            : count == kept!.Length ? kept : kept[..count];
        return new(custom, deliveryId, redrive, traceParent, eventHeaders);
    }
}
