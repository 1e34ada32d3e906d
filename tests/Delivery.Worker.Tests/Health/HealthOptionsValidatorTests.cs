using Delivery.Worker.Health;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Health;

public sealed class HealthOptionsValidatorTests
{
    [Fact]
    public void Check_Defaults_Valid()
        => Assert.Empty(HealthOptionsValidator.Check(new HealthOptions(), new PipelineOptions()));

    [Theory]
    [InlineData("00:00:09")]
    [InlineData("01:00:01")]
    [InlineData("00:00:00")]
    public void Check_OutOfRange_OneLineNamingTheKey(string value)
    {
        var line = Assert.Single(HealthOptionsValidator.Check(new HealthOptions { LoopStallTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) }, new PipelineOptions()));

        Assert.StartsWith("Delivery:Health:LoopStallTimeout: must be between 00:00:10 and 01:00:00", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NotLongerThanTheHandlerTimeout_Refused()
    {
        var pipeline = new PipelineOptions { HandlerTimeout = TimeSpan.FromMinutes(3) };

        var line = Assert.Single(HealthOptionsValidator.Check(new HealthOptions { LoopStallTimeout = TimeSpan.FromMinutes(3) }, pipeline));

        Assert.Equal("Delivery:Health:LoopStallTimeout: must be longer than Delivery:Pipeline:HandlerTimeout (00:03:00) (was 00:03:00)", line);
        Assert.Empty(HealthOptionsValidator.Check(new HealthOptions { LoopStallTimeout = TimeSpan.FromMinutes(4) }, pipeline));
    }
}
