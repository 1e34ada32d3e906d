using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Destinations.Http;

/// <summary>One event prepared for sending: its index in the original batch and its serialized payload.</summary>
/// <param name="OriginalIndex">Index of the event in the batch the handler was given.</param>
/// <param name="Event">The event.</param>
/// <param name="Payload">The bytes sent for this event (its element of the request body).</param>
internal sealed record OutgoingItem(int OriginalIndex, DeliveryEvent Event, ReadOnlyMemory<byte> Payload)
{
    /// <summary>
    /// Pre-validates <paramref name="batch"/> (invalid events get their 400 at their original index in
    /// <paramref name="response"/>) and serializes the valid ones, keeping their original indices.
    /// </summary>
    public static OutgoingItem[] Prepare(
        DeliveryBatch batch,
        MultiStatusResponse response,
        Func<DeliveryEvent, string?> validate,
        Func<DeliveryEvent, ReadOnlyMemory<byte>> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var validated = ValidatedBatch.Create(batch, response, validate);
        var items = new OutgoingItem[validated.Valid.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var deliveryEvent = validated.Valid[i];
            items[i] = new OutgoingItem(validated.ToOriginalIndex(i), deliveryEvent, payload(deliveryEvent));
        }

        return items;
    }
}
