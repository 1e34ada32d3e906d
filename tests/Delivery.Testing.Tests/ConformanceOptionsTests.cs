namespace Delivery.Testing.Tests;

public sealed class ConformanceOptionsTests
{
    private static ApiAnswer Ok(ApiExchange exchange) => ApiAnswer.Empty(200);

    [Theory]
    [InlineData(99)]
    [InlineData(60_001)]
    public async Task RunAsync_RequestTimeoutOutOfRange_Throws(int milliseconds)
    {
        var options = new ConformanceOptions { Answer = Ok, RequestTimeout = TimeSpan.FromMilliseconds(milliseconds) };

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DestinationConformance.RunAsync(_ => throw new InvalidOperationException(), options));
        Assert.Equal("RequestTimeout", error.ParamName);
    }

    [Theory]
    [InlineData(999)]
    [InlineData(300_001)]
    public async Task RunAsync_GraceOutOfRange_Throws(int milliseconds)
    {
        var options = new ConformanceOptions { Answer = Ok, Grace = TimeSpan.FromMilliseconds(milliseconds) };

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DestinationConformance.RunAsync(_ => throw new InvalidOperationException(), options));
        Assert.Equal("Grace", error.ParamName);
    }

    [Fact]
    public async Task RunAsync_BlankDestination_Throws()
    {
        var options = new ConformanceOptions { Answer = Ok, Destination = " " };

        await Assert.ThrowsAsync<ArgumentException>(() => DestinationConformance.RunAsync(_ => throw new InvalidOperationException(), options));
    }

    [Fact]
    public async Task RunAsync_EventValueWithoutEventId_ThrowsNamingTheOption()
    {
        var options = new ConformanceOptions { Answer = Ok, ValidEvent = (i, _) => "{}" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DestinationConformance.RunAsync(target => new Broken.FlawedHandler(target, Broken.Flaw.None), options));
        Assert.Contains("ValidEvent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new ConformanceOptions { Answer = Ok };

        Assert.Equal(TimeSpan.FromSeconds(1), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Grace);
        Assert.Equal("conformance", options.Destination);
        Assert.Null(options.InvalidEvent);
        Assert.Contains("\"id\":\"E\"", options.ValidEvent(3, "E"), StringComparison.Ordinal);
    }
}
