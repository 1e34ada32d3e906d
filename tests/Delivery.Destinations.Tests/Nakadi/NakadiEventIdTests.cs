using Delivery.Destinations.Nakadi;

namespace Delivery.Destinations.Tests.Nakadi;

public sealed class NakadiEventIdTests
{
    [Fact]
    public void NameBased_KnownVector_MatchesRfcVersion5()
    {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), NakadiEventId.NameBased(dns, "www.example.com"));
    }

    [Fact]
    public void From_SameId_SameUuidVersion5()
    {
        var eid = NakadiEventId.From("orders/3/42");

        Assert.Equal(eid, NakadiEventId.From("orders/3/42"));
        Assert.NotEqual(eid, NakadiEventId.From("orders/3/43"));
        Assert.Equal('5', eid.ToString()[14]);
    }
}
