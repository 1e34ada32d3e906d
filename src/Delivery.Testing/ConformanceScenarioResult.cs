namespace Delivery.Testing;

/// <summary>What one scenario did and found.</summary>
/// <param name="Name">The scenario's name.</param>
/// <param name="BatchSize">Events in the batch handed to the handler.</param>
/// <param name="Requests">Requests the server received.</param>
/// <param name="Elapsed">Wall time of the handler call.</param>
/// <param name="Outcome">How the call ended: <c>answered</c>, an exception type name, or <c>did not complete</c>.</param>
/// <param name="Violations">The rules it broke (empty when it passed).</param>
public sealed record ConformanceScenarioResult(
    string Name,
    int BatchSize,
    int Requests,
    TimeSpan Elapsed,
    string Outcome,
    IReadOnlyList<ConformanceViolation> Violations)
{
    /// <summary>True when no rule was broken.</summary>
    public bool Passed => Violations.Count == 0;
}
