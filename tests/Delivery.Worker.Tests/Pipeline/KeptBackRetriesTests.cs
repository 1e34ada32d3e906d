using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class KeptBackRetriesTests
{
    private static readonly DateTimeOffset Now = PipelineUnits.Start;

    [Fact]
    public void ReleaseDue_LaterOffsetDueFirst_WaitsBehindTheEarlierOneOfItsPartition()
    {
        var kept = new KeptBackRetries();
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        kept.Add(PipelineUnits.Record(tier, 0), Now.AddMilliseconds(300));
        kept.Add(PipelineUnits.Record(tier, 1), Now.AddMilliseconds(100));
        var released = new List<(long Offset, TimeSpan Waited)>();

        kept.ReleaseDue(Now.AddMilliseconds(200), (r, w) => released.Add((r.Offset, w)));
        Assert.Empty(released);
        Assert.True(kept.Holds(tier));

        kept.ReleaseDue(Now.AddMilliseconds(300), (r, w) => released.Add((r.Offset, w)));
        Assert.Equal([(0L, TimeSpan.Zero), (1L, TimeSpan.FromMilliseconds(200))], released);
        Assert.Equal(0, kept.Count);
        Assert.False(kept.Holds(tier));
    }

    [Fact]
    public void ReleaseDue_SeveralPartitionsEmptied_NoneIsHeldAnyMore()
    {
        var kept = new KeptBackRetries();
        var a = PipelineUnits.Partition("d.retry.1", 0, retryTier: true);
        var b = PipelineUnits.Partition("d.retry.1", 1, retryTier: true);
        var c = PipelineUnits.Partition("d.retry.1", 2, retryTier: true);
        kept.Add(PipelineUnits.Record(a, 0), Now);
        kept.Add(PipelineUnits.Record(b, 0), Now);
        kept.Add(PipelineUnits.Record(c, 0), Now.AddSeconds(1));

        kept.ReleaseDue(Now, (_, _) => { });

        Assert.False(kept.Holds(a));
        Assert.False(kept.Holds(b));
        Assert.True(kept.Holds(c));
        Assert.Equal(1, kept.Count);
    }

    [Fact]
    public void UntilNextDue_SeveralPartitions_TheEarliestHeadCountsNotZeroBelow()
    {
        var kept = new KeptBackRetries();
        Assert.Null(kept.UntilNextDue(Now));
        kept.Add(PipelineUnits.Record(PipelineUnits.Partition("d.retry.1", 0, retryTier: true), 0), Now.AddMilliseconds(500));
        kept.Add(PipelineUnits.Record(PipelineUnits.Partition("d.retry.1", 1, retryTier: true), 0), Now.AddMilliseconds(40));

        Assert.Equal(TimeSpan.FromMilliseconds(40), kept.UntilNextDue(Now));
        Assert.Equal(TimeSpan.Zero, kept.UntilNextDue(Now.AddSeconds(1)));
    }

    [Fact]
    public void RemoveWhere_SomeMatch_HandsThemOverAndKeepsTheRestInOrder()
    {
        var kept = new KeptBackRetries();
        var a = PipelineUnits.Partition("d.retry.1", 0, retryTier: true);
        var b = PipelineUnits.Partition("d.retry.1", 1, retryTier: true);
        kept.Add(PipelineUnits.Record(a, 0), Now);
        kept.Add(PipelineUnits.Record(b, 0), Now);
        kept.Add(PipelineUnits.Record(a, 1), Now);
        var removed = new List<PendingRecord>();

        kept.RemoveWhere(r => r.Partition == b, removed.Add);

        Assert.Equal(b, Assert.Single(removed).Partition);
        Assert.Equal(2, kept.Count);
        var released = new List<long>();
        kept.ReleaseDue(Now, (r, _) => released.Add(r.Offset));
        Assert.Equal([0L, 1L], released);
    }
}
