namespace Delivery.Testing;

/// <summary>An item of a request that the scripted API must reject.</summary>
/// <param name="Index">The item's index in the request (API-relative: the n-th event the request carries).</param>
/// <param name="EventId">The event's <c>delivery-event-id</c>.</param>
/// <param name="Status">The status the API gives this item (400 or 422).</param>
/// <param name="Message">The API's message for it.</param>
public sealed record ApiRejection(int Index, string EventId, int Status, string Message);
