using Microsoft.Extensions.Time.Testing;
using Delivery.Worker.Health;

namespace Delivery.Worker.Tests.Health;

public sealed class ConsumeLoopLivenessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [Fact]
    public void Stalled_LoopBeatsWithinTheBound_Empty()
    {
        var time = new FakeTimeProvider();
        var liveness = new ConsumeLoopLiveness(time, Bound);
        using var loop = liveness.Register("orders");

        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(100));
            loop.Beat();
        }

        Assert.Empty(liveness.Stalled());
    }

    [Fact]
    public void Stalled_NoTurnForLongerThanTheBound_NamesTheDestination()
    {
        var time = new FakeTimeProvider();
        var liveness = new ConsumeLoopLiveness(time, Bound);
        using var orders = liveness.Register("orders");
        using var audit = liveness.Register("audit");

        time.Advance(Bound);
        audit.Beat();
        Assert.Empty(liveness.Stalled()); // exactly the bound is still alive

        time.Advance(TimeSpan.FromSeconds(1));
        var stall = Assert.Single(liveness.Stalled());
        Assert.Equal("orders", stall.Destination);
        Assert.Equal(Bound + TimeSpan.FromSeconds(1), stall.Since);

        orders.Beat();
        Assert.Empty(liveness.Stalled());
    }

    [Theory]
    [InlineData("Held")]
    [InlineData("Paused")]
    [InlineData("Draining")]
    public void Stalled_DeliberatelyWaiting_NotCountedAndTheWaitIsNotHeldAgainstTheLoop(string reason)
    {
        var wait = Enum.Parse<ConsumeLoopWait>(reason);
        var time = new FakeTimeProvider();
        var liveness = new ConsumeLoopLiveness(time, Bound);
        using var loop = liveness.Register("orders");

        loop.Waiting(wait);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(liveness.Stalled());

        loop.Waiting(ConsumeLoopWait.None);
        time.Advance(Bound);
        Assert.Empty(liveness.Stalled()); // the clock restarted when the wait ended

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("orders", Assert.Single(liveness.Stalled()).Destination);
    }

    [Fact]
    public void Stalled_LoopEnded_NoLongerTracked()
    {
        var time = new FakeTimeProvider();
        var liveness = new ConsumeLoopLiveness(time, Bound);
        var loop = liveness.Register("orders");

        loop.Dispose();
        time.Advance(TimeSpan.FromHours(1));

        Assert.Empty(liveness.Stalled());
    }

    [Fact]
    public void Stalled_LoopNeverTurnedSinceItRegistered_CountsFromRegistration()
    {
        var time = new FakeTimeProvider();
        var liveness = new ConsumeLoopLiveness(time, Bound);
        time.Advance(TimeSpan.FromHours(1));
        using var loop = liveness.Register("orders");

        time.Advance(Bound);
        Assert.Empty(liveness.Stalled());
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(liveness.Stalled());
    }

    [Fact]
    public void Constructor_BoundNotPositive_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsumeLoopLiveness(new FakeTimeProvider(), TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => new ConsumeLoopLiveness(new FakeTimeProvider(), Bound).Register(" "));
    }
}
