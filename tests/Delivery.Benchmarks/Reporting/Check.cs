namespace Delivery.Benchmarks.Reporting;

/// <summary>One figure compared with its target.</summary>
internal sealed record Check(string Scenario, string Figure, double Value, string Unit, string Target, bool Pass, string? Note = null);
