using Delivery.Core.Options;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class BatcherTests
{
    private static (Batcher Batcher, List<WorkBatch> Cut, Microsoft.Extensions.Time.Testing.FakeTimeProvider Time) Create(int maxEvents = 3, int maxBytes = 1000, int maxWaitMs = 250)
    {
        var time = PipelineUnits.Clock();
        var cut = new List<WorkBatch>();
        var options = new BatchOptions { MaxEvents = maxEvents, MaxBytes = maxBytes, MaxWait = TimeSpan.FromMilliseconds(maxWaitMs) };
        return (new Batcher(options, time, cut.Add), cut, time);
    }

    [Fact]
    public void Add_ReachesMaxEvents_CutsOneFullBatch()
    {
        var (batcher, cut, _) = Create(maxEvents: 3);
        var p = PipelineUnits.Partition();

        batcher.Add(PipelineUnits.Record(p, 0));
        batcher.Add(PipelineUnits.Record(p, 1));
        Assert.Empty(cut);
        batcher.Add(PipelineUnits.Record(p, 2));

        var batch = Assert.Single(cut);
        Assert.Equal([0L, 1L, 2L], batch.Records.Select(r => r.Offset));
        Assert.Equal(0, batcher.Count);
    }

    [Fact]
    public void Add_ReachesMaxBytes_Cuts()
    {
        var (batcher, cut, _) = Create(maxEvents: 100, maxBytes: 100);
        var p = PipelineUnits.Partition();

        batcher.Add(PipelineUnits.Record(p, 0, bytes: 60));
        batcher.Add(PipelineUnits.Record(p, 1, bytes: 40));

        Assert.Equal(2, Assert.Single(cut).Records.Count);
        Assert.Equal(0, batcher.Bytes);
    }

    [Fact]
    public void Add_WouldPassMaxBytes_CutsBeforeTheRecord()
    {
        var (batcher, cut, _) = Create(maxEvents: 100, maxBytes: 100);
        var p = PipelineUnits.Partition();

        batcher.Add(PipelineUnits.Record(p, 0, bytes: 60));
        batcher.Add(PipelineUnits.Record(p, 1, bytes: 50));

        Assert.Equal([0L], Assert.Single(cut).Records.Select(r => r.Offset));
        Assert.Equal(1, batcher.Count);
        Assert.Equal(50, batcher.Bytes);
    }

    [Fact]
    public void Add_OneRecordOverMaxBytes_LeavesAlone()
    {
        var (batcher, cut, _) = Create(maxEvents: 100, maxBytes: 100);

        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0, bytes: 500));

        Assert.Single(Assert.Single(cut).Records);
    }

    [Fact]
    public void CutIfDue_BeforeMaxWait_KeepsThePartialBatch()
    {
        var (batcher, cut, time) = Create(maxWaitMs: 250);
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));

        time.Advance(TimeSpan.FromMilliseconds(249));

        Assert.False(batcher.CutIfDue());
        Assert.Equal(TimeSpan.FromMilliseconds(1), batcher.UntilDue());
        Assert.Empty(cut);
    }

    [Fact]
    public void CutIfDue_AtMaxWaitOfTheFirstRecord_CutsThePartialBatch()
    {
        var (batcher, cut, time) = Create(maxWaitMs: 250);
        var p = PipelineUnits.Partition();
        batcher.Add(PipelineUnits.Record(p, 0));
        time.Advance(TimeSpan.FromMilliseconds(200));
        batcher.Add(PipelineUnits.Record(p, 1));

        time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal(TimeSpan.Zero, batcher.UntilDue());
        Assert.True(batcher.CutIfDue());
        Assert.Equal(2, Assert.Single(cut).Records.Count);
        Assert.Null(batcher.UntilDue());
    }

    [Fact]
    public void RemoveWhere_TakesOutMatchingRecordsAndTheirBytes()
    {
        var (batcher, cut, _) = Create(maxEvents: 10);
        var kept = PipelineUnits.Partition(partition: 0);
        var revoked = PipelineUnits.Partition(partition: 1);
        batcher.Add(PipelineUnits.Record(kept, 0, bytes: 10));
        batcher.Add(PipelineUnits.Record(revoked, 0, bytes: 20));
        var removed = new List<PendingRecord>();

        batcher.RemoveWhere(r => ReferenceEquals(r.Partition, revoked), removed.Add);
        batcher.Cut();

        Assert.Same(revoked, Assert.Single(removed).Partition);
        Assert.Same(kept, Assert.Single(Assert.Single(cut).Records).Partition);
    }
}
