namespace Delivery.Worker.Health;

/// <summary>One destination in a health report.</summary>
/// <param name="Destination">Destination name.</param>
/// <param name="State">Pipeline state (Starting, Running, Held, Stopped, Faulted).</param>
/// <param name="InFlightEvents">Consumed, unresolved events.</param>
/// <param name="Lag">Records behind the high watermark.</param>
/// <param name="Detail">Why it is held or faulted, if known.</param>
internal sealed record DestinationHealth(string Destination, string State, long InFlightEvents, long Lag, string? Detail);
