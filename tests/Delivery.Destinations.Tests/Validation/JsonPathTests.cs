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
    [InlineData("$.user['last name']", false)]
    [InlineData("$['user']['tags'][0]", true)]
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
    [InlineData("$.a['']")]
    [InlineData("$.a[1']")]
    [InlineData("$.a[12']")]
    [InlineData("$.a['b]")]
    [InlineData("$.a[-1]")]
    [InlineData("")]
    public void TryParse_Unsupported_False(string text) => Assert.False(JsonPath.TryParse(text, out _));

    [Fact]
    public void IsPresentIn_TwoDigitIndex_ThatElement()
    {
        var document = JsonDocument.Parse("{\"a\":[0,1,2,3,4,5,6,7,8,9,10,11,{\"x\":1}]}").RootElement;

        Assert.True(JsonPath.TryParse("$.a[12].x", out var twelve));
        Assert.True(twelve!.IsPresentIn(document));
        Assert.True(JsonPath.TryParse("$.a[13]", out var thirteen));
        Assert.False(thirteen!.IsPresentIn(document));
    }
}
