using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// Records the pipeline's backpressure transitions (EventId 3013) through Microsoft's <see cref="FakeLoggerProvider"/>:
/// state ("on"/"off") and in-flight count, in order.
/// </summary>
internal sealed class BackpressureLogCapture : IDisposable
{
    private const int BackpressureEventId = 3013;

    /// <summary>The provider to register with the host's logging.</summary>
    public FakeLoggerProvider Provider { get; } = new(new FakeLogCollector());

    /// <summary>The transitions logged so far, in order.</summary>
    public IReadOnlyList<(string State, long InFlightEvents)> Transitions =>
    [
        .. Provider.Collector.GetSnapshot()
            .Where(static r => r.Id.Id == BackpressureEventId && r.Level >= LogLevel.Information)
            .Select(static r => (
                r.GetStructuredStateValue("State") ?? "?",
                long.TryParse(r.GetStructuredStateValue("InFlightEvents"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1)),
    ];

    public void Dispose() => Provider.Dispose();
}
