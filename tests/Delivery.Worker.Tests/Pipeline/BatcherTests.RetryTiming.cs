using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>Retry records and their due time (<see cref="PendingRecord.NotBefore"/>): kept back until due, MaxWait counted from due.</summary>
public sealed partial class BatcherTests
{
    private static PendingRecord Retry(PartitionState state, long offset, DateTimeOffset notBefore)
    {
        var record = PipelineUnits.Record(state, offset);
        return new PendingRecord(state, offset, record.Message, record.Event) { NotBefore = notBefore };
    }

    [Fact]
    public void Add_RetryNotYetDue_KeptBackUntilDueThenJoinsTheOpenBatch()
    {
        var (batcher, cut, time) = Create(maxEvents: 2);
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        var due = time.GetUtcNow() + TimeSpan.FromMilliseconds(400);

        batcher.Add(Retry(tier, 0, due));
        Assert.Equal(0, batcher.Count);
        Assert.Equal(1, batcher.Early);
        Assert.Equal(TimeSpan.FromMilliseconds(400), batcher.UntilNextDue());

        time.Advance(TimeSpan.FromMilliseconds(399));
        batcher.ReleaseDue();
        Assert.Equal(0, batcher.Count); // not a tick before its due time
        time.Advance(TimeSpan.FromMilliseconds(1));
        batcher.ReleaseDue();
        Assert.Equal(1, batcher.Count);
        Assert.Equal(0, batcher.Early);
        Assert.Null(batcher.UntilNextDue());
        Assert.Empty(cut);
    }

    [Fact]
    public void ReleaseDue_SeveralKeptBack_ReleasedInDueOrderOnlyThoseDue()
    {
        var (batcher, cut, time) = Create(maxEvents: 10);
        var a = PipelineUnits.Partition("d.retry.1", partition: 0, retryTier: true);
        var b = PipelineUnits.Partition("d.retry.1", partition: 1, retryTier: true);
        var now = time.GetUtcNow();
        batcher.Add(Retry(a, 0, now + TimeSpan.FromMilliseconds(300)));
        batcher.Add(Retry(b, 0, now + TimeSpan.FromMilliseconds(100)));
        batcher.Add(Retry(a, 1, now + TimeSpan.FromMilliseconds(500)));

        time.Advance(TimeSpan.FromMilliseconds(300));
        batcher.ReleaseDue();
        Assert.Equal(2, batcher.Count);
        Assert.Equal(1, batcher.Early);
        batcher.Cut();
        Assert.Equal([(0, 0L), (1, 0L)], Assert.Single(cut).Records.Select(r => (r.Partition.Partition.Partition.Value, r.Offset)).Order());
    }

    [Fact]
    public void ReleaseDue_LaterOffsetDueFirst_WaitsForTheEarlierRecordOfItsPartition()
    {
        // Regression: with jitter a later record of a tier partition can be due first. Released first, it was
        // delivered while the earlier one was still kept back; a drain then abandoned the earlier one, the commit
        // stopped below the delivered record and the demo's ledger counted it twice (delivered and pending).
        var (batcher, cut, time) = Create(maxEvents: 10);
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        var now = time.GetUtcNow();
        batcher.Add(Retry(tier, 10, now + TimeSpan.FromMilliseconds(500)));
        batcher.Add(Retry(tier, 11, now + TimeSpan.FromMilliseconds(300)));
        batcher.Add(Retry(tier, 12, now - TimeSpan.FromMilliseconds(1))); // already due, but behind the two

        time.Advance(TimeSpan.FromMilliseconds(300));
        batcher.ReleaseDue();
        Assert.Equal(0, batcher.Count);
        Assert.Equal(3, batcher.Early);

        var abandoned = new List<long>();
        batcher.RemoveWhere(_ => true, r => abandoned.Add(r.Offset));
        Assert.Equal([10L, 11L, 12L], abandoned); // nothing after an abandoned record was released
        Assert.Empty(cut);
    }

    [Fact]
    public void ReleaseDue_HeadDue_ReleasesItAndTheDueRecordsBehindItInOffsetOrder()
    {
        var (batcher, cut, time) = Create(maxEvents: 10);
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        var now = time.GetUtcNow();
        batcher.Add(Retry(tier, 10, now + TimeSpan.FromMilliseconds(500)));
        batcher.Add(Retry(tier, 11, now + TimeSpan.FromMilliseconds(300)));
        batcher.Add(Retry(tier, 12, now + TimeSpan.FromMilliseconds(900)));

        time.Advance(TimeSpan.FromMilliseconds(500));
        batcher.ReleaseDue();
        batcher.Cut();
        Assert.Equal([10L, 11L], Assert.Single(cut).Records.Select(r => r.Offset));
        Assert.Equal(1, batcher.Early);
        Assert.Equal(TimeSpan.FromMilliseconds(400), batcher.UntilNextDue());
    }

    [Fact]
    public void CutIfDue_RetryReadLate_MaxWaitCountsFromItsDueTime()
    {
        var (batcher, cut, time) = Create(maxEvents: 10, maxWaitMs: 250);
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);

        // Due 200 ms ago (its partition resumed late): 50 ms of MaxWait are left, not 250.
        batcher.Add(Retry(tier, 0, time.GetUtcNow() - TimeSpan.FromMilliseconds(200)));
        Assert.Equal(TimeSpan.FromMilliseconds(50), batcher.UntilDue());
        time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(batcher.CutIfDue());
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(batcher.CutIfDue());
        Assert.Single(cut);
    }

    [Fact]
    public void CutIfDue_LateRetryJoinsAYoungerBatch_TheEarlierDeadlineWins()
    {
        var (batcher, cut, time) = Create(maxEvents: 10, maxWaitMs: 250);
        var p = PipelineUnits.Partition();
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);

        batcher.Add(PipelineUnits.Record(p, 0));
        time.Advance(TimeSpan.FromMilliseconds(100));
        batcher.Add(Retry(tier, 0, time.GetUtcNow() - TimeSpan.FromMilliseconds(220)));

        // The first record could wait until 250 ms; the retry, deliverable since -120 ms, only until 130 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(30), batcher.UntilDue());
        time.Advance(TimeSpan.FromMilliseconds(30));
        Assert.True(batcher.CutIfDue());
        Assert.Equal(2, Assert.Single(cut).Records.Count);
    }

    [Fact]
    public void PollTimeout_RecordKeptBack_EndsWhenItIsDue()
    {
        var (batcher, _, time) = Create();
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        batcher.Add(Retry(tier, 0, time.GetUtcNow() + TimeSpan.FromMilliseconds(40)));

        Assert.Equal(TimeSpan.FromMilliseconds(40), batcher.PollTimeout(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.FromMilliseconds(20), batcher.PollTimeout(TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void RemoveWhere_RevokedPartition_TakesOutItsRecordsKeptBackToo()
    {
        var (batcher, _, time) = Create(maxEvents: 10);
        var a = PipelineUnits.Partition("d.retry.1", partition: 0, retryTier: true);
        var b = PipelineUnits.Partition("d.retry.1", partition: 1, retryTier: true);
        var later = time.GetUtcNow() + TimeSpan.FromSeconds(1);
        batcher.Add(Retry(a, 0, later));
        batcher.Add(Retry(b, 0, later));
        var removed = new List<PendingRecord>();

        batcher.RemoveWhere(r => r.Partition == a, removed.Add);

        Assert.Equal(a, Assert.Single(removed).Partition);
        Assert.Equal(1, batcher.Early);
        time.Advance(TimeSpan.FromSeconds(1));
        batcher.ReleaseDue();
        Assert.Equal(1, batcher.Count);
    }

    [Fact]
    public void Add_RetryDueExactlyNow_JoinsTheOpenBatchAtOnce()
    {
        var (batcher, _, time) = Create(maxEvents: 10);
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);

        batcher.Add(Retry(tier, 0, time.GetUtcNow()));

        Assert.Equal(1, batcher.Count);
        Assert.Equal(0, batcher.Early);
    }

    [Fact]
    public void RemoveWhere_RetryRecordsTakenOut_TheFirstAttemptsLeftStillTakeASlotWhenCut()
    {
        var (batcher, cut, _, slots) = WithSlots(slots: 2, maxEvents: 10);
        var tier = PipelineUnits.Partition(topic: "orders.retry.1", retryTier: true);
        batcher.Add(PipelineUnits.Record(tier, 0));
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));

        batcher.RemoveWhere(r => r.Partition.IsRetryTier, _ => { });
        batcher.Cut();

        Assert.Single(Assert.Single(cut).Records);
        Assert.Equal(1, slots.Busy);
    }
}
