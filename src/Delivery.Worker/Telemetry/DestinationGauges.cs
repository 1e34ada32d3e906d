namespace Delivery.Worker.Telemetry;

/// <summary>A snapshot of one destination pipeline's gauges.</summary>
/// <param name="InFlightEvents">Consumed events not yet resolved.</param>
/// <param name="Lag">Records behind the high watermark over assigned partitions.</param>
/// <param name="CircuitOpen">True while the destination is held.</param>
/// <param name="ConcurrencyLimit">Handler calls allowed at once (the adaptive concurrency limit).</param>
internal readonly record struct DestinationGauges(long InFlightEvents, long Lag, bool CircuitOpen, long ConcurrencyLimit = 0);
