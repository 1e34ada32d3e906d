using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class PartitionStateTests
{
    [Fact]
    public void New_NothingTrackedOrCommitted_NothingUncommittable()
    {
        var state = PipelineUnits.Partition();

        Assert.Equal(-1, state.LastTracked);
        Assert.Equal(-1, state.FirstTracked);
        Assert.Equal(-1, state.Committed);
        Assert.Equal(0, state.Uncommittable);
    }

    [Fact]
    public void Uncommittable_FirstRecordAtOffsetZeroUnresolved_One()
    {
        var state = PipelineUnits.Partition();
        PipelineUnits.Record(state, 0);
        state.FirstTracked = 0;

        Assert.Equal(1, state.Uncommittable);
    }

    [Fact]
    public void Uncommittable_AfterACommit_CountsFromTheCommittedOffset()
    {
        var state = PipelineUnits.Partition();
        state.FirstTracked = 0;
        for (var offset = 0; offset < 10; offset++)
        {
            PipelineUnits.Record(state, offset);
        }

        for (var offset = 0; offset < 5; offset++)
        {
            state.Tracker.Resolve(offset);
        }

        state.Tracker.MarkCommitted(5);
        state.Committed = 5;

        Assert.Equal(5, state.Uncommittable);
    }

    [Fact]
    public void Revoke_DeferredRecord_ItsDueTimerNoLongerFires()
    {
        var time = PipelineUnits.Clock();
        var posted = new List<PipelineCommand>();
        var state = PipelineUnits.Partition(retryTier: true);
        new DueTimeGate(time, posted.Add).Defer(state, 3, time.GetUtcNow().AddSeconds(1), time.GetUtcNow());

        state.Revoke();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Empty(posted);
        Assert.Null(state.DueTimer);
    }
}
