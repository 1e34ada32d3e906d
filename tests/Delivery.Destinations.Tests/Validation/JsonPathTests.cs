using System.Text.Json;
using Delivery.Destinations.Validation;

namespace Delivery.Destinations.Tests.Validation;

public sealed class JsonPathTests
{
    private static readonly JsonElement Document = JsonDocument.Parse("""
        {"email":"","phone":null,"user":{"name":"Ann","tags":["a"],"first name":"A"},"n":0,"ok":false}
        """).RootElement;

    [Theory]
    [InlineData("$.user.name", true)]
    [InlineData("$.user.tags[0]", true)]
    [InlineData("$.user.tags[1]", false)]
    [InlineData("$.user['first name']", true)]
    [InlineData("$.email", false)]
    [InlineData("$.phone", false)]
    [InlineData("$.missing", false)]
    [InlineData("$.n", true)]
    [InlineData("$.ok", true)]
    [InlineData("$.user.name.first", false)]
    public void IsPresentIn_Paths_AsExpected(string text, bool expected)
    {
        Assert.True(JsonPath.TryParse(text, out var path));

        Assert.Equal(expected, path!.IsPresentIn(Document));
    }

    [Theory]
    [InlineData("email")]
    [InlineData("$")]
    [InlineData("$.")]
    [InlineData("$..a")]
    [InlineData("$.a[x]")]
    [InlineData("$.a[0")]
    [InlineData("")]
    public void TryParse_Unsupported_False(string text) => Assert.False(JsonPath.TryParse(text, out _));
}
