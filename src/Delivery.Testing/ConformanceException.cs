namespace Delivery.Testing;

/// <summary>Thrown by <see cref="ConformanceAssert.Passes"/> when a handler broke a rule; the message is the full report.</summary>
public sealed class ConformanceException : Exception
{
    /// <summary>Creates the exception for <paramref name="report"/>.</summary>
    public ConformanceException(ConformanceReport report)
        : base(report?.ToString())
    {
        ArgumentNullException.ThrowIfNull(report);
        Report = report;
    }

    /// <summary>The failed report.</summary>
    public ConformanceReport Report { get; }
}
