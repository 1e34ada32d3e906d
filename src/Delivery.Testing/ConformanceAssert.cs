namespace Delivery.Testing;

/// <summary>Assertions for any test framework: a failure throws <see cref="ConformanceException"/> whose message is the report.</summary>
public static class ConformanceAssert
{
    /// <summary>Throws <see cref="ConformanceException"/> unless every scenario of <paramref name="report"/> passed.</summary>
    public static void Passes(ConformanceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Passed)
        {
            throw new ConformanceException(report);
        }
    }
}
