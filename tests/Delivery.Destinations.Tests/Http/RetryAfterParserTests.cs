using System.Net.Http.Headers;
using Delivery.Destinations.Http;
using Microsoft.Extensions.Time.Testing;

namespace Delivery.Destinations.Tests.Http;

public sealed class RetryAfterParserTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Parse_DeltaSeconds_ReturnsDelta()
        => Assert.Equal(TimeSpan.FromSeconds(120), RetryAfterParser.Parse(RetryConditionHeaderValue.Parse("120"), _time));

    [Fact]
    public void Parse_HttpDateInFuture_ReturnsDifferenceToNow()
        => Assert.Equal(TimeSpan.FromMinutes(5), RetryAfterParser.Parse(RetryConditionHeaderValue.Parse("Thu, 01 Jan 2026 00:05:00 GMT"), _time));

    [Fact]
    public void Parse_HttpDateInPast_ReturnsZero()
        => Assert.Equal(TimeSpan.Zero, RetryAfterParser.Parse(RetryConditionHeaderValue.Parse("Wed, 31 Dec 2025 23:00:00 GMT"), _time));

    [Fact]
    public void Parse_NoHeader_ReturnsNull()
        => Assert.Null(RetryAfterParser.Parse(null, _time));

    [Fact]
    public void Parse_NegativeDelta_ReturnsZero()
        => Assert.Equal(TimeSpan.Zero, RetryAfterParser.Parse(new RetryConditionHeaderValue(TimeSpan.FromSeconds(-5)), _time));

    [Fact]
    public void Parse_ZeroDelta_ReturnsZero()
        => Assert.Equal(TimeSpan.Zero, RetryAfterParser.Parse(RetryConditionHeaderValue.Parse("0"), _time));

    [Fact]
    public void Parse_NullTime_Throws()
        => Assert.Throws<ArgumentNullException>(() => RetryAfterParser.Parse(null, null!));
}
