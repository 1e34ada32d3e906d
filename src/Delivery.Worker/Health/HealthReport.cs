namespace Delivery.Worker.Health;

/// <summary>The JSON body of /healthz and /readyz.</summary>
/// <param name="Status">ok, held, not_ready, faulted, stalled (a consume loop stopped turning; /healthz only), stopping.</param>
/// <param name="Destinations">Every enabled destination's pipeline.</param>
/// <param name="Held">Destinations that are held (still ready).</param>
/// <param name="NotReady">Destinations that make the worker unready.</param>
internal sealed record HealthReport(string Status, IReadOnlyList<DestinationHealth> Destinations, IReadOnlyList<string> Held, IReadOnlyList<string> NotReady);
