using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class OrderedPartitionFlowTests
{
    /// <summary>A partition with <paramref name="tracked"/> records tracked from offset 0, the first unresolved.</summary>
    private static PartitionState Blocked(int partition, int tracked, int resolvedBehind = 0)
    {
        var state = PipelineUnits.Partition(partition: partition);
        for (var i = 0; i < tracked; i++)
        {
            PipelineUnits.Record(state, i);
        }

        state.FirstTracked = 0;
        for (var i = 1; i <= resolvedBehind; i++)
        {
            state.Tracker.Resolve(i);
        }

        return state;
    }

    [Fact]
    public void Evaluate_OnePartitionsWaitingReachLimit_OnlyThatPartitionPausesAndLeavesThePressure()
    {
        var flow = new OrderedPartitionFlow(limit: 10);
        var blocked = Blocked(0, tracked: 10, resolvedBehind: 6);
        var flowing = Blocked(1, tracked: 3);

        var pressure = flow.Evaluate([blocked, flowing]);

        Assert.True(blocked.OrderPaused);
        Assert.False(flowing.OrderPaused);
        Assert.True(pressure.Changed);
        Assert.Equal(3, pressure.Window);
        Assert.Equal(4, pressure.ExcludedInFlight);
    }

    [Fact]
    public void Evaluate_JustBelowLimit_NotPaused()
    {
        var flow = new OrderedPartitionFlow(limit: 10);
        var state = Blocked(0, tracked: 9);

        var pressure = flow.Evaluate([state]);

        Assert.False(state.OrderPaused);
        Assert.False(pressure.Changed);
        Assert.Equal(9, pressure.Window);
        Assert.Equal(0, pressure.ExcludedInFlight);
    }

    [Fact]
    public void Evaluate_PausedPartitionDrainsToHalf_StaysPausedUntilBelowHalf()
    {
        var told = new List<(bool Paused, long Waiting)>();
        var flow = new OrderedPartitionFlow(limit: 10, (s, waiting) => told.Add((s.OrderPaused, waiting)));
        var state = Blocked(0, tracked: 12);
        flow.Evaluate([state]);

        // The blocked key resolves: the commit point moves to 6 (6 waiting = more than half).
        for (var i = 0; i < 6; i++)
        {
            state.Tracker.Resolve(i);
        }

        Assert.False(flow.Evaluate([state]).Changed);
        Assert.True(state.OrderPaused);

        state.Tracker.Resolve(6);
        state.Tracker.Resolve(7);
        var resumed = flow.Evaluate([state]);

        Assert.True(resumed.Changed);
        Assert.False(state.OrderPaused);
        Assert.Equal(4, resumed.Window);
        Assert.Equal([(true, 12L), (false, 4L)], told);
    }

    [Fact]
    public void Evaluate_PausedPartitionAtExactlyHalf_StaysPaused()
    {
        var flow = new OrderedPartitionFlow(limit: 10);
        var state = Blocked(0, tracked: 12);
        flow.Evaluate([state]);
        for (var i = 0; i < 7; i++)
        {
            state.Tracker.Resolve(i);
        }

        Assert.False(flow.Evaluate([state]).Changed); // 5 waiting: half, not below it
        Assert.True(state.OrderPaused);
        state.Tracker.Resolve(7);
        Assert.True(flow.Evaluate([state]).Changed);
        Assert.False(state.OrderPaused);
    }

    [Fact]
    public void Evaluate_NullStates_Throws() => Assert.Throws<ArgumentNullException>(() => new OrderedPartitionFlow(10).Evaluate(null!));
}
