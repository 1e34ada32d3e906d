using System.Text;
using Delivery.Core.Events;

namespace Delivery.Core.Tests.Events;

public sealed class DeliveryEventTests
{
    [Fact]
    public void TryGetJson_ValidJson_ParsedOnceAndShared()
    {
        var evt = TestEvents.Event(0, json: """{"id":7}""");

        Assert.True(evt.TryGetJson(out var first));
        Assert.True(evt.TryGetJson(out var second));

        Assert.Equal(7, first.GetProperty("id").GetInt32());
        Assert.Equal(first.GetRawText(), second.GetRawText());
    }

    [Fact]
    public void TryGetJson_NotJson_FalseEveryTime()
    {
        var evt = new DeliveryEvent { EventId = "e", Value = Encoding.UTF8.GetBytes("not json") };

        Assert.False(evt.TryGetJson(out var json));
        Assert.False(evt.TryGetJson(out _));
        Assert.Equal(default, json);
    }

    [Fact]
    public void Defaults_FirstAttemptNoHeaders()
    {
        var evt = new DeliveryEvent { EventId = "e" };

        Assert.Equal(1, evt.Attempt);
        Assert.Empty(evt.Headers);
        Assert.Null(evt.Key);
        Assert.Equal(0, evt.SizeInBytes);
    }

    [Fact]
    public void SizeInBytes_KeyPlusValue()
    {
        var evt = new DeliveryEvent { EventId = "e", Key = new byte[3], Value = new byte[10] };
        Assert.Equal(13, evt.SizeInBytes);
    }
}
