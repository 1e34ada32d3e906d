namespace Delivery.Testing.Tests;

public sealed class EventMarkersTests
{
    [Fact]
    public void Find_MarkersInText_ReturnsIndicesInOrderOfFirstAppearance()
    {
        var markers = new EventMarkers("abcd1234", 7);
        var text = $"{{\"_id\":\"{markers.EventId(4)}\"}}\n{{\"id\":\"{markers.EventId(4)}\"}}\n{markers.EventId(0)} {markers.EventId(12)}";

        Assert.Equal([4, 0, 12], markers.Find(text));
    }

    [Fact]
    public void Find_OtherScenarioOrRun_IsIgnored()
    {
        var markers = new EventMarkers("abcd1234", 7);
        var text = new EventMarkers("abcd1234", 8).EventId(1) + new EventMarkers("ffff0000", 7).EventId(2);

        Assert.Empty(markers.Find(text));
    }
}
