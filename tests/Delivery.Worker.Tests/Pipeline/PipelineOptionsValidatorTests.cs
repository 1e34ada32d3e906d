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
}
