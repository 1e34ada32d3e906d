using Delivery.Worker.Cli;

namespace Delivery.Worker.Tests.Cli;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("00:00:20", 20_000)]
    [InlineData("20s", 20_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1_500)]
    public void TryParse_KnownForms_Parse(string text, int milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("00:00:00")]
    public void TryParse_NotAPositiveDuration_Fails(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
