using System.Diagnostics.Metrics;

namespace Delivery.Destinations;

/// <summary>Instruments of the destination handlers (meter <c>Delivery.Destinations</c>).</summary>
internal sealed class DestinationMetrics
{
    /// <summary>The meter name, for exporters.</summary>
    public const string MeterName = "Delivery.Destinations";

    private readonly Counter<long> _contractViolations;

    public DestinationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _contractViolations = meter.CreateCounter<long>(
            "delivery.destination.contract_violations",
            unit: "{violation}",
            description: "Destination answers that broke their contract (index out of range or repeated, unknown item status, wrong item count).");
    }

    /// <summary>Counts one contract violation of <paramref name="destination"/>.</summary>
    public void ContractViolation(string destination)
        => _contractViolations.Add(1, new KeyValuePair<string, object?>("destination", destination));
}
