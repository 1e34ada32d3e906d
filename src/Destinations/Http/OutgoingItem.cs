using Delivery.Core.Events;

namespace Delivery.Destinations.Http;

/// <summary>One event prepared for sending: its index in the original batch and its serialized payload.</summary>
/// <param name="OriginalIndex">Index of the event in the batch the handler was given.</param>
/// <param name="Event">The event.</param>
/// <param name="Payload">The bytes sent for this event (its element of the request body).</param>
internal sealed record OutgoingItem(int OriginalIndex, DeliveryEvent Event, ReadOnlyMemory<byte> Payload);
