namespace Delivery.Worker.Pipeline;

/// <summary>A snapshot of one destination pipeline, for /readyz, the demo table and the CLI.</summary>
/// <param name="Destination">Destination name.</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="InFlightEvents">Consumed, unresolved events.</param>
/// <param name="Lag">Records behind the high watermark over assigned partitions.</param>
/// <param name="Detail">Why it is held or faulted (no secrets), else null.</param>
/// <param name="Loop">The consume loop's heartbeat (for a liveness check); null when unknown.</param>
internal sealed record DestinationStatus(string Destination, DestinationState State, long InFlightEvents, long Lag, string? Detail, ConsumeLoopBeat? Loop = null);
