using Delivery.Core.Options;

namespace Delivery.Core.Tests.Options;

/// <summary>The rules of RateLimit, Concurrency and Batch:RetryShare: just outside is refused naming the key, the boundary is accepted.</summary>
public sealed class DeliveryControlsOptionsValidatorTests
{
    private const string D = "Delivery:Destinations:orders";

    private static string SingleFailure(DeliveryOptions options, string key)
    {
        var line = Assert.Single(DeliveryOptionsValidator.Check(options));
        Assert.StartsWith(key + ": ", line, StringComparison.Ordinal);
        return line;
    }

    [Fact]
    public void Defaults_DocumentedValues()
    {
        var d = new DestinationOptions();
        Assert.Equal(0, d.RateLimit.EventsPerSecond);
        Assert.Equal(0, d.RateLimit.EventsBurst);
        Assert.Equal(0, d.RateLimit.RequestsPerSecond);
        Assert.Equal(0, d.RateLimit.RequestsBurst);
        Assert.True(d.Concurrency.Adaptive);
        Assert.Equal(TimeSpan.FromSeconds(5), d.Concurrency.HealthyInterval);
        Assert.Equal(0.25, d.Batch.RetryShare);
    }

    [Theory]
    [InlineData(-0.5, "EventsPerSecond")]
    [InlineData(1_000_000.5, "EventsPerSecond")]
    [InlineData(double.NaN, "EventsPerSecond")]
    [InlineData(-1, "RequestsPerSecond")]
    [InlineData(100_000.5, "RequestsPerSecond")]
    public void Check_RateOutOfRange_NamesKeyAndValue(double value, string member)
    {
        var options = ValidOptions.Create();
        if (member == "EventsPerSecond")
        {
            options.Orders().RateLimit.EventsPerSecond = value;
        }
        else
        {
            options.Orders().RateLimit.RequestsPerSecond = value;
        }

        var line = SingleFailure(options, $"{D}:RateLimit:{member}");
        Assert.Contains("must be between", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.01)]
    [InlineData(1_000_000)]
    public void Check_EventsPerSecondAtBoundaries_Passes(double value)
    {
        var options = ValidOptions.Create();
        options.Orders().RateLimit.EventsPerSecond = value;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_NegativeBurst_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().RateLimit.EventsBurst = -1;
        SingleFailure(options, $"{D}:RateLimit:EventsBurst");
    }

    [Fact]
    public void Check_EventsBurstWithoutRate_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().RateLimit.EventsBurst = 10;
        var line = SingleFailure(options, $"{D}:RateLimit:EventsBurst");
        Assert.Contains("has no effect", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RequestsBurstWithoutRate_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().RateLimit.RequestsBurst = 10;
        SingleFailure(options, $"{D}:RateLimit:RequestsBurst");
    }

    [Theory]
    [InlineData(200, 9, false)]
    [InlineData(200, 10, true)]
    [InlineData(1, 1, true)]
    public void Check_EventsBurstBelowOneRefillStep_FailsAtTheStepPasses(double rate, int burst, bool valid)
    {
        var options = ValidOptions.Create();
        options.Orders().RateLimit.EventsPerSecond = rate;
        options.Orders().RateLimit.EventsBurst = burst;
        if (valid)
        {
            Assert.Empty(DeliveryOptionsValidator.Check(options));
        }
        else
        {
            Assert.Equal($"{D}:RateLimit:EventsBurst: must be at least 10, 1/20 s of the rate, or 0 for one second's worth (was 9)", SingleFailure(options, $"{D}:RateLimit:EventsBurst"));
        }
    }

    [Fact]
    public void Check_RequestsBurstBelowOneRefillStep_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().RateLimit.RequestsPerSecond = 100;
        options.Orders().RateLimit.RequestsBurst = 4;
        SingleFailure(options, $"{D}:RateLimit:RequestsBurst");
    }

    [Theory]
    [InlineData(200, 0, 200)]
    [InlineData(0.5, 0, 1)]
    [InlineData(200, 20, 20)]
    [InlineData(0, 0, 0)]
    public void EffectiveEventsBurst_DefaultIsOneSecondsWorth(double rate, int burst, int expected)
        => Assert.Equal(expected, new RateLimitOptions { EventsPerSecond = rate, EventsBurst = burst }.EffectiveEventsBurst);

    [Theory]
    [InlineData(99)]
    [InlineData(3_600_001)]
    public void Check_HealthyIntervalOutOfRange_Fails(int milliseconds)
    {
        var options = ValidOptions.Create();
        options.Orders().Concurrency.HealthyInterval = TimeSpan.FromMilliseconds(milliseconds);
        SingleFailure(options, $"{D}:Concurrency:HealthyInterval");
    }

    [Theory]
    [InlineData(100)]
    [InlineData(3_600_000)]
    public void Check_HealthyIntervalAtBoundaries_Passes(int milliseconds)
    {
        var options = ValidOptions.Create();
        options.Orders().Concurrency.HealthyInterval = TimeSpan.FromMilliseconds(milliseconds);
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Check_RetryShareOutOfRange_Fails(double share)
    {
        var options = ValidOptions.Create();
        options.Orders().Batch.RetryShare = share;
        SingleFailure(options, $"{D}:Batch:RetryShare");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Check_RetryShareAtBoundaries_Passes(double share)
    {
        var options = ValidOptions.Create();
        options.Orders().Batch.RetryShare = share;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_SectionsMissing_Fail()
    {
        var options = ValidOptions.Create();
        options.Orders().RateLimit = null!;
        options.Orders().Concurrency = null!;
        var failures = DeliveryOptionsValidator.Check(options);
        Assert.Contains($"{D}:RateLimit: is required", failures);
        Assert.Contains($"{D}:Concurrency: is required", failures);
    }
}
