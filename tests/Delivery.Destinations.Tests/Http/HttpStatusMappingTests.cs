using System.Text;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Http;

namespace Delivery.Destinations.Tests.Http;

public sealed class HttpStatusMappingTests
{
    [Theory]
    [InlineData(401, true)]
    [InlineData(403, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(499, false)]
    [InlineData(500, true)]
    [InlineData(501, true)]
    [InlineData(503, true)]
    [InlineData(599, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(413, false)]
    [InlineData(422, false)]
    public void IsDestinationLevel_Status_AsDocumented(int status, bool expected)
        => Assert.Equal(expected, HttpStatusMapping.IsDestinationLevel(status));

    [Fact]
    public void PayloadTooLarge_Message_NamesTheSize()
    {
        var error = HttpStatusMapping.PayloadTooLarge(1234);

        Assert.Equal(413, error.Status);
        Assert.Equal(ErrorCodes.PayloadTooLarge, error.ErrorType);
        Assert.Equal("The destination rejected this event alone as too large (413, 1234 bytes).", error.ErrorMessage);
    }

    [Theory]
    [InlineData("{\"detail\":\"d\",\"message\":\"m\"}", "HTTP 400: d")]
    [InlineData("{\"message\":\"m\",\"title\":\"t\"}", "HTTP 400: m")]
    [InlineData("{\"title\":\"t\",\"error\":\"e\"}", "HTTP 400: t")]
    [InlineData("{\"error\":\"e\",\"reason\":\"r\"}", "HTTP 400: e")]
    [InlineData("{\"reason\":\"r\"}", "HTTP 400: r")]
    [InlineData("{\"error\":{\"message\":\"nested\"}}", "HTTP 400: nested")]
    [InlineData("{\"error\":{\"code\":7}}", "HTTP 400: {\"code\":7}")]
    [InlineData("{\"error\":42}", "HTTP 400: 42")]
    [InlineData("{\"detail\":\"  \",\"message\":\"m\"}", "HTTP 400: m")]
    [InlineData("{\"other\":\"x\"}", "HTTP 400")]
    [InlineData("<html>secret echo</html>", "HTTP 400")]
    [InlineData("[\"detail\"]", "HTTP 400")]
    [InlineData("", "HTTP 400")]
    public void Describe_Body_FirstKnownFieldOrStatusOnly(string body, string expected)
        => Assert.Equal(expected, HttpStatusMapping.Describe(400, new ResponseBody(Encoding.UTF8.GetBytes(body))));

    [Fact]
    public void Describe_TooLargeBody_StatusOnly() => Assert.Equal("HTTP 422", HttpStatusMapping.Describe(422, new ResponseBody(null)));

    [Fact]
    public void Shorten_AtLimit_Unchanged()
    {
        var text = new string('x', 300);

        Assert.Equal(text, HttpStatusMapping.Shorten(text));
    }

    [Fact]
    public void Shorten_OverLimit_CutWithEllipsis()
        => Assert.Equal(new string('x', 300) + "…", HttpStatusMapping.Shorten(new string('x', 301)));

    [Fact]
    public void Shorten_ControlCharacters_BecomeSpaces()
        => Assert.Equal("a b c", HttpStatusMapping.Shorten("a\nb\tc"));

    [Fact]
    public void Shorten_Null_Throws() => Assert.Throws<ArgumentNullException>(() => HttpStatusMapping.Shorten(null!));
}
