using System.Text;
using Delivery.Destinations.Http;
using Delivery.Destinations.Tests.Testing;

namespace Delivery.Destinations.Tests.Http;

public sealed class RequestBodyTests
{
    private static OutgoingItem Item(int index, string payload) => new(index, Events.Json(payload), Encoding.UTF8.GetBytes(payload));

    [Fact]
    public void JsonArray_Items_PrefixCommaSeparatedSuffix()
    {
        var body = RequestBody.JsonArray("{\"e\":["u8, [Item(0, "{\"a\":1}"), Item(1, "2"), Item(2, "\"x\"")], "]}"u8);

        Assert.Equal("{\"e\":[{\"a\":1},2,\"x\"]}", Encoding.UTF8.GetString(body.Span));
    }

    [Fact]
    public void JsonArray_NoItems_PrefixAndSuffix()
        => Assert.Equal("[]", Encoding.UTF8.GetString(RequestBody.JsonArray("["u8, [], "]"u8).Span));

    [Fact]
    public void JsonArray_NullItems_Throws() => Assert.Throws<ArgumentNullException>(() => RequestBody.JsonArray("["u8, null!, "]"u8));

    [Fact]
    public void Prepare_NullPayload_Throws()
        => Assert.Throws<ArgumentNullException>(() => OutgoingItem.Prepare(Events.Batch(1), new Core.MultiStatus.MultiStatusResponse(), _ => null, null!));
}
