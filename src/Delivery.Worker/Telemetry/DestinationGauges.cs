namespace Delivery.Worker.Telemetry;

/// <summary>A snapshot of one destination pipeline's gauges.</summary>
/// <param name="InFlightEvents">Consumed events not yet resolved.</param>
/// <param name="Lag">Records behind the high watermark over assigned partitions.</param>
/// <param name="CircuitOpen">True while the destination is held.</param>
internal readonly record struct DestinationGauges(long InFlightEvents, long Lag, bool CircuitOpen);
