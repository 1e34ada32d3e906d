using System.Globalization;
using System.Text;

namespace Delivery.Testing;

/// <summary>The result of <see cref="DestinationConformance.RunAsync"/>: every scenario run, and every rule broken.</summary>
public sealed class ConformanceReport
{
    internal ConformanceReport(IReadOnlyList<ConformanceScenarioResult> scenarios, IReadOnlyList<string> notRun)
    {
        Scenarios = scenarios;
        NotRun = notRun;
        Violations = [.. scenarios.SelectMany(s => s.Violations)];
    }

    /// <summary>The scenarios run, in order.</summary>
    public IReadOnlyList<ConformanceScenarioResult> Scenarios { get; }

    /// <summary>Scenarios not run, each with the reason (e.g. no <see cref="ConformanceOptions.InvalidEvent"/> given).</summary>
    public IReadOnlyList<string> NotRun { get; }

    /// <summary>Every violation of every scenario.</summary>
    public IReadOnlyList<ConformanceViolation> Violations { get; }

    /// <summary>True when no scenario broke a rule.</summary>
    public bool Passed => Violations.Count == 0;

    /// <summary>True when <paramref name="rule"/> was broken (at <paramref name="batchIndex"/>, when given).</summary>
    public bool Violates(ConformanceRule rule, int? batchIndex = null)
        => Violations.Any(v => v.Rule == rule && (batchIndex is null || v.BatchIndex == batchIndex));

    /// <summary>One line per scenario and one per violation.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"destination conformance: {Scenarios.Count(s => s.Passed)} of {Scenarios.Count} scenarios passed, {Violations.Count} violation(s)").AppendLine();
        foreach (var scenario in Scenarios)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {(scenario.Passed ? "pass" : "FAIL")} {scenario.Name} (batch {scenario.BatchSize}, {scenario.Requests} request(s), {scenario.Outcome}, {scenario.Elapsed.TotalMilliseconds:F0} ms)").AppendLine();
            foreach (var violation in scenario.Violations)
            {
                text.Append("    ").Append(violation).AppendLine();
            }
        }

        foreach (var skipped in NotRun)
        {
            text.Append("  not run: ").Append(skipped).AppendLine();
        }

        return text.ToString();
    }
}
