using System.Text;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class PartitionLanesTests
{
    private static byte[] Key(string key) => Encoding.UTF8.GetBytes(key);

    [Fact]
    public void Busy_CountsKeyedAndKeylessLanesWithARecordOut()
    {
        var lanes = new PartitionLanes();
        lanes.Lane(Key("a")).Out = 0;
        lanes.Lane(Key("b"));
        lanes.Lane(null).Out = 2;

        Assert.Equal(2, lanes.Busy);
    }

    [Fact]
    public void TryGet_NoKeylessLaneYet_False()
    {
        var lanes = new PartitionLanes();

        Assert.False(lanes.TryGet(null, out _));
        Assert.False(lanes.TryGet(Key("a"), out _));
        var keyless = lanes.Lane(null);
        Assert.True(lanes.TryGet(null, out var found));
        Assert.Same(keyless, found);
    }

    [Fact]
    public void Remove_KeylessOrKeyed_ForgetsOnlyThatLane()
    {
        var lanes = new PartitionLanes();
        var keyed = lanes.Lane(Key("a"));
        lanes.Lane(null);

        lanes.Remove(null);
        Assert.False(lanes.TryGet(null, out _));
        Assert.True(lanes.TryGet(Key("a"), out var still));
        Assert.Same(keyed, still);

        lanes.Remove(Key("a"));
        Assert.False(lanes.TryGet(Key("a"), out _));
    }

    [Fact]
    public void DrainWaiting_EveryLaneKeylessIncluded_EmptiesThem()
    {
        var state = PipelineUnits.Partition();
        var lanes = new PartitionLanes();
        lanes.Lane(Key("a")).Waiting.Enqueue(PipelineUnits.Record(state, 1));
        lanes.Lane(null).Waiting.Enqueue(PipelineUnits.Record(state, 2));
        lanes.Lane(null).Waiting.Enqueue(PipelineUnits.Record(state, 3));
        lanes.Parked = 3;

        var drained = lanes.DrainWaiting();

        Assert.Equal([1L, 2L, 3L], drained.Select(r => r.Offset).Order());
        Assert.Empty(lanes.Lane(Key("a")).Waiting);
        Assert.Empty(lanes.Lane(null).Waiting);
        Assert.Empty(lanes.DrainWaiting());
    }
}
