using Delivery.Core.Options;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed partial class BatcherTests
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

    private static (Batcher Batcher, List<WorkBatch> Cut, Microsoft.Extensions.Time.Testing.FakeTimeProvider Time, BatchSlots Slots) WithSlots(int slots, int maxEvents = 3, int maxWaitMs = 250)
    {
        var time = PipelineUnits.Clock();
        var cut = new List<WorkBatch>();
        var batchSlots = new BatchSlots(slots);
        var options = new BatchOptions { MaxEvents = maxEvents, MaxBytes = 1000, MaxWait = TimeSpan.FromMilliseconds(maxWaitMs) };
        return (new Batcher(options, time, cut.Add, batchSlots), cut, time, batchSlots);
    }

    [Fact]
    public void Cut_TakesASlotPerBatch()
    {
        var (batcher, cut, _, slots) = WithSlots(slots: 2, maxEvents: 1);
        var p = PipelineUnits.Partition();

        batcher.Add(PipelineUnits.Record(p, 0));
        batcher.Add(PipelineUnits.Record(p, 1));

        Assert.Equal(2, cut.Count);
        Assert.Equal(2, slots.Busy);
        Assert.False(slots.AnyFree);
        slots.Release();
        Assert.True(slots.AnyFree);
    }

    [Fact]
    public void Add_EverySlotBusy_StillCutsAFullBatch()
    {
        var (batcher, cut, _, slots) = WithSlots(slots: 1, maxEvents: 2);
        slots.Take();
        var p = PipelineUnits.Partition();

        batcher.Add(PipelineUnits.Record(p, 0));
        batcher.Add(PipelineUnits.Record(p, 1));

        Assert.Equal(2, Assert.Single(cut).Records.Count);
    }

    [Fact]
    public void CutIfDue_PastMaxWaitButEverySlotBusy_KeepsFilling()
    {
        var (batcher, cut, time, slots) = WithSlots(slots: 1, maxEvents: 3, maxWaitMs: 250);
        slots.Take();
        var p = PipelineUnits.Partition();
        batcher.Add(PipelineUnits.Record(p, 0));

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(batcher.CutIfDue());
        batcher.Add(PipelineUnits.Record(p, 1));
        Assert.False(batcher.CutIfDue());
        batcher.Add(PipelineUnits.Record(p, 2));

        Assert.Equal([0L, 1L, 2L], Assert.Single(cut).Records.Select(r => r.Offset));
    }

    [Fact]
    public void CutIfDue_SlotFreedAfterMaxWait_CutsThePartialBatch()
    {
        var (batcher, cut, time, slots) = WithSlots(slots: 1, maxWaitMs: 250);
        slots.Take();
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(batcher.CutIfDue());

        slots.Release();

        Assert.True(batcher.CutIfDue());
        Assert.Single(Assert.Single(cut).Records);
        Assert.Equal(1, slots.Busy);
    }

    [Fact]
    public void CutIfDue_SlotFreeBeforeMaxWait_KeepsThePartialBatch()
    {
        var (batcher, cut, time, _) = WithSlots(slots: 4, maxWaitMs: 250);
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));

        time.Advance(TimeSpan.FromMilliseconds(249));

        Assert.False(batcher.CutIfDue());
        Assert.Empty(cut);
    }

    [Fact]
    public void CutAtLimit_SlotFree_CutsBeforeMaxWait()
    {
        var (batcher, cut, _, _) = WithSlots(slots: 1, maxWaitMs: 250);
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));

        Assert.True(batcher.CutAtLimit());
        Assert.Single(cut);
    }

    [Fact]
    public void CutAtLimit_EverySlotBusy_KeepsTheBatch()
    {
        var (batcher, cut, time, slots) = WithSlots(slots: 1, maxWaitMs: 250);
        slots.Take();
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(batcher.CutAtLimit());
        Assert.Empty(cut);
        Assert.Equal(1, batcher.Count);
    }

    [Fact]
    public void CutAtLimit_NoOpenBatch_TakesNoSlot()
    {
        var (batcher, cut, _, slots) = WithSlots(slots: 1);

        Assert.False(batcher.CutAtLimit());
        Assert.Empty(cut);
        Assert.Equal(0, slots.Busy);
    }

    [Fact]
    public void PollTimeout_NoOpenBatch_IsTheIdlePoll()
    {
        var (batcher, _, _, _) = WithSlots(slots: 1);

        Assert.Equal(TimeSpan.FromMilliseconds(50), batcher.PollTimeout(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void PollTimeout_OpenBatch_EndsAtMaxWait()
    {
        var (batcher, _, time, _) = WithSlots(slots: 1, maxWaitMs: 250);
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));
        time.Advance(TimeSpan.FromMilliseconds(220));

        Assert.Equal(TimeSpan.FromMilliseconds(30), batcher.PollTimeout(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(TimeSpan.FromMilliseconds(10), batcher.PollTimeout(TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public void PollTimeout_DueBatchWaitingForASlot_RechecksSoon()
    {
        var (batcher, _, time, slots) = WithSlots(slots: 1, maxWaitMs: 250);
        slots.Take();
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));
        time.Advance(TimeSpan.FromMilliseconds(300));

        Assert.Equal(Batcher.SlotRecheck, batcher.PollTimeout(TimeSpan.FromMilliseconds(50)));
        slots.Release();
        Assert.Equal(TimeSpan.Zero, batcher.PollTimeout(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void CutIfDue_RetryRecordsOnlyWhileEverySlotBusy_CutsAndTakesNoSlot()
    {
        var (batcher, cut, time, slots) = WithSlots(slots: 1, maxWaitMs: 250);
        slots.Take();
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(topic: "orders.retry.1", retryTier: true), 0));
        time.Advance(TimeSpan.FromMilliseconds(250));

        Assert.True(batcher.CutIfDue());
        Assert.Single(cut);
        Assert.Equal(1, slots.Busy);
    }

    [Fact]
    public void PollTimeout_DueBatchWaitingForASlotAndAShorterIdlePoll_IsTheIdlePoll()
    {
        var (batcher, _, time, slots) = WithSlots(slots: 1, maxWaitMs: 250);
        slots.Take();
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));
        time.Advance(TimeSpan.FromMilliseconds(300));

        Assert.Equal(TimeSpan.FromMilliseconds(2), batcher.PollTimeout(TimeSpan.FromMilliseconds(2)));
    }

    [Fact]
    public void RemoveWhere_FirstAttemptsTakenOut_TheRetryRecordsLeftNoLongerWaitForASlot()
    {
        var (batcher, cut, time, slots) = WithSlots(slots: 1, maxEvents: 10, maxWaitMs: 250);
        slots.Take();
        var source = PipelineUnits.Partition(partition: 0);
        var tier = PipelineUnits.Partition(topic: "orders.retry.1", retryTier: true);
        batcher.Add(PipelineUnits.Record(source, 0, bytes: 10));
        batcher.Add(PipelineUnits.Record(tier, 0, bytes: 20));
        batcher.Add(PipelineUnits.Record(tier, 1, bytes: 30));
        Assert.False(batcher.SlotFree);

        batcher.RemoveWhere(r => ReferenceEquals(r.Partition, source), _ => { });
        time.Advance(TimeSpan.FromMilliseconds(250));

        Assert.True(batcher.SlotFree);
        Assert.Equal(50, batcher.Bytes);
        Assert.True(batcher.CutIfDue());
        Assert.Equal(2, Assert.Single(cut).Records.Count);
        Assert.Equal(1, slots.Busy);
    }

    [Fact]
    public void RemoveWhere_RetryRecordsTakenOut_TheFirstAttemptsLeftStillWaitForASlot()
    {
        var (batcher, _, _, slots) = WithSlots(slots: 1, maxEvents: 10);
        slots.Take();
        var source = PipelineUnits.Partition(partition: 0);
        var tier = PipelineUnits.Partition(topic: "orders.retry.1", retryTier: true);
        batcher.Add(PipelineUnits.Record(tier, 0));
        batcher.Add(PipelineUnits.Record(source, 0));
        batcher.Add(PipelineUnits.Record(source, 1));

        batcher.RemoveWhere(r => r.Partition.IsRetryTier, _ => { });

        Assert.False(batcher.SlotFree);
        Assert.Equal(2, batcher.Count);
    }

    [Fact]
    public void RemoveWhere_AfterwardsMaxBytes_CountsOnlyTheKeptBytes()
    {
        var (batcher, cut, _) = Create(maxEvents: 10, maxBytes: 100);
        var kept = PipelineUnits.Partition(partition: 0);
        var revoked = PipelineUnits.Partition(partition: 1);
        batcher.Add(PipelineUnits.Record(kept, 0, bytes: 30));
        batcher.Add(PipelineUnits.Record(revoked, 0, bytes: 60));

        batcher.RemoveWhere(r => ReferenceEquals(r.Partition, revoked), _ => { });
        batcher.Add(PipelineUnits.Record(kept, 1, bytes: 60));

        Assert.Empty(cut);
        Assert.Equal(90, batcher.Bytes);
    }

    [Fact]
    public void Guards_NullArguments_Throw()
    {
        var (batcher, _, _) = Create();
        Assert.Throws<ArgumentNullException>(() => batcher.Add(null!));
        Assert.Throws<ArgumentNullException>(() => batcher.RemoveWhere(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => batcher.RemoveWhere(_ => true, null!));
    }
}
