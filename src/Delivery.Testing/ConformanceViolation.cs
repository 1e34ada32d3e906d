using System.Globalization;

namespace Delivery.Testing;

/// <summary>One broken rule: in which scenario, which rule, at which batch index (null when the whole call is at fault).</summary>
/// <param name="Scenario">The scenario's name, e.g. <c>partial-207</c>.</param>
/// <param name="Rule">The rule broken.</param>
/// <param name="BatchIndex">The batch index of the event whose slot is wrong; null for a whole-call violation.</param>
/// <param name="Message">What was expected and what the handler did.</param>
public sealed record ConformanceViolation(string Scenario, ConformanceRule Rule, int? BatchIndex, string Message)
{
    /// <inheritdoc />
    public override string ToString() => BatchIndex is { } index
        ? string.Create(CultureInfo.InvariantCulture, $"[{Scenario}] {Rule} at batch index {index}: {Message}")
        : $"[{Scenario}] {Rule}: {Message}";
}
