using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class PipelineOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
        => Assert.True(new PipelineOptionsValidator().Validate(null, new PipelineOptions()).Succeeded);

    [Fact]
    public void Validate_BadValues_OneLinePerKeyNamingIt()
    {
        var options = new PipelineOptions
        {
            CommitInterval = TimeSpan.Zero,
            HoldInitialBackoff = TimeSpan.FromSeconds(10),
            HoldMaxBackoff = TimeSpan.FromSeconds(1),
            CircuitBreakDuration = TimeSpan.FromMilliseconds(100),
            CircuitFailureRatio = 0,
            CircuitMinimumThroughput = 1,
        };

        var result = new PipelineOptionsValidator().Validate(null, options);

        Assert.False(result.Succeeded);
        Assert.Equal(
            ["CommitInterval", "HoldMaxBackoff", "CircuitBreakDuration", "CircuitFailureRatio", "CircuitMinimumThroughput"],
            result.Failures!.Select(f => f.Split(':')[2]));
        Assert.All(result.Failures!, f => Assert.StartsWith("Delivery:Pipeline:", f, StringComparison.Ordinal));
    }

    /// <summary>Every rule: a value just outside it (refused, naming the key) and the boundary value (accepted).</summary>
    private static readonly (string Key, Action<PipelineOptions> Outside, Action<PipelineOptions> Boundary)[] RuleCases =
    [
        ("CommitInterval", o => o.CommitInterval = TimeSpan.Zero, o => o.CommitInterval = TimeSpan.FromTicks(1)),
        ("RevokeTimeout", o => o.RevokeTimeout = TimeSpan.Zero, o => o.RevokeTimeout = TimeSpan.FromTicks(1)),
        ("HandlerTimeout", o => o.HandlerTimeout = TimeSpan.FromMilliseconds(9), o => o.HandlerTimeout = TimeSpan.FromMilliseconds(10)),
        ("HandlerTimeout", o => o.HandlerTimeout = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1), o => o.HandlerTimeout = TimeSpan.FromDays(1)),
        ("HoldInitialBackoff", o => (o.HoldInitialBackoff, o.HoldMaxBackoff) = (TimeSpan.Zero, TimeSpan.FromSeconds(1)), o => o.HoldInitialBackoff = TimeSpan.FromTicks(1)),
        ("HoldMaxBackoff", o => (o.HoldInitialBackoff, o.HoldMaxBackoff) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1)), o => (o.HoldInitialBackoff, o.HoldMaxBackoff) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2))),
        ("GoneBackoff", o => o.GoneBackoff = TimeSpan.FromMilliseconds(999), o => o.GoneBackoff = TimeSpan.FromSeconds(1)),
        ("GoneBackoff", o => o.GoneBackoff = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1), o => o.GoneBackoff = TimeSpan.FromDays(1)),
        ("CircuitBreakDuration", o => o.CircuitBreakDuration = TimeSpan.FromMilliseconds(499), o => o.CircuitBreakDuration = TimeSpan.FromMilliseconds(500)),
        ("CircuitBreakDuration", o => o.CircuitBreakDuration = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1), o => o.CircuitBreakDuration = TimeSpan.FromDays(1)),
        ("CircuitSamplingDuration", o => o.CircuitSamplingDuration = TimeSpan.FromMilliseconds(499), o => o.CircuitSamplingDuration = TimeSpan.FromMilliseconds(500)),
        ("CircuitSamplingDuration", o => o.CircuitSamplingDuration = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1), o => o.CircuitSamplingDuration = TimeSpan.FromDays(1)),
        ("CircuitFailureRatio", o => o.CircuitFailureRatio = 0, o => o.CircuitFailureRatio = 0.0001),
        ("CircuitFailureRatio", o => o.CircuitFailureRatio = 1.0001, o => o.CircuitFailureRatio = 1),
        ("CircuitMinimumThroughput", o => o.CircuitMinimumThroughput = 1, o => o.CircuitMinimumThroughput = 2),
        ("BackpressureGrace", o => o.BackpressureGrace = TimeSpan.FromTicks(-1), o => o.BackpressureGrace = TimeSpan.Zero),
        ("BackpressureGrace", o => o.BackpressureGrace = TimeSpan.FromSeconds(5) + TimeSpan.FromTicks(1), o => o.BackpressureGrace = TimeSpan.FromSeconds(5)),
        ("RetryPrefetch", o => o.RetryPrefetch = TimeSpan.FromTicks(-1), o => o.RetryPrefetch = TimeSpan.Zero),
        ("RetryPrefetch", o => o.RetryPrefetch = TimeSpan.FromSeconds(10) + TimeSpan.FromTicks(1), o => o.RetryPrefetch = TimeSpan.FromSeconds(10)),
        ("ProduceRetryInitialBackoff", o => (o.ProduceRetryInitialBackoff, o.ProduceRetryMaxBackoff) = (TimeSpan.Zero, TimeSpan.FromSeconds(1)), o => o.ProduceRetryInitialBackoff = TimeSpan.FromTicks(1)),
        ("ProduceRetryMaxBackoff", o => (o.ProduceRetryInitialBackoff, o.ProduceRetryMaxBackoff) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1)), o => (o.ProduceRetryInitialBackoff, o.ProduceRetryMaxBackoff) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))),
    ];

    public static TheoryData<int> Rules() => [.. Enumerable.Range(0, RuleCases.Length)];

    [Theory]
    [MemberData(nameof(Rules))]
    public void Validate_EachRule_RefusesJustOutsideAndAcceptsTheBoundary(int rule)
    {
        var (key, outside, boundary) = RuleCases[rule];
        var bad = new PipelineOptions();
        outside(bad);
        var ok = new PipelineOptions();
        boundary(ok);

        var refused = new PipelineOptionsValidator().Validate(null, bad);
        var accepted = new PipelineOptionsValidator().Validate(null, ok);

        var line = Assert.Single(refused.Failures ?? []);
        Assert.StartsWith($"Delivery:Pipeline:{key}: ", line, StringComparison.Ordinal);
        Assert.True(accepted.Succeeded, string.Join("; ", accepted.Failures ?? []));
    }
}
