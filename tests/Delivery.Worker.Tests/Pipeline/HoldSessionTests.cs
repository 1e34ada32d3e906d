using Delivery.Core.Outcomes;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class HoldSessionTests
{
    private static HoldSession Session() => new(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), () => false, static (_, _, _) => { });

    [Fact]
    public void NextDelay_WithoutRetryAfter_DoublesUpToTheMaximum()
    {
        var session = Session();

        var delays = Enumerable.Range(0, 6).Select(_ => session.NextDelay(null).TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 10, 10], delays);
    }

    [Fact]
    public void NextDelay_LongerRetryAfter_IsHonouredButCapped()
    {
        var session = Session();

        Assert.Equal(TimeSpan.FromSeconds(7), session.NextDelay(TimeSpan.FromSeconds(7)));
        Assert.Equal(TimeSpan.FromSeconds(2), session.NextDelay(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.FromSeconds(10), session.NextDelay(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Held_ReportsTheErrorAndDelay()
    {
        var seen = new List<(DeliveryError, TimeSpan)>();
        var session = new HoldSession(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), () => false, (_, error, delay) => seen.Add((error, delay)));
        var error = new DeliveryError(503, "SERVICE_UNAVAILABLE", "down");

        session.Held(error, TimeSpan.FromSeconds(3));

        Assert.Equal((error, TimeSpan.FromSeconds(3)), Assert.Single(seen));
        Assert.True(session.Enter());
        Assert.False(session.Enter());
    }

    [Fact]
    public void NextDelay_Gone_TheLongGoneBackoffUncappedAndTheOrdinaryBackoffKept()
    {
        var session = new HoldSession(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), () => false, static (_, _, _) => { }, TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromMinutes(5), session.NextDelay(null, gone: true));
        Assert.Equal(TimeSpan.FromMinutes(9), session.NextDelay(TimeSpan.FromMinutes(9), gone: true));
        Assert.Equal(TimeSpan.FromMinutes(5), session.NextDelay(TimeSpan.FromSeconds(3), gone: true));
        Assert.Equal(TimeSpan.FromSeconds(1), session.NextDelay(null)); // the endpoint answered otherwise: back to 1 s
    }

    [Fact]
    public void NextDelay_LongOutage_StaysAtTheMaximumWithoutOverflowing()
    {
        var session = Session();

        var delays = Enumerable.Range(0, 200).Select(_ => session.NextDelay(null)).ToArray();

        Assert.Equal(TimeSpan.FromSeconds(10), delays[^1]);
        Assert.All(delays.Skip(4), d => Assert.Equal(TimeSpan.FromSeconds(10), d));
    }
}
