namespace Delivery.Worker.Tests.Pipeline;

/// <summary>
/// Retries kept back until due leave without waiting MaxWait for batch-mates once no record kept back comes due
/// before the open batch would leave; retries read after their due time wait as first attempts do.
/// </summary>
public sealed partial class BatcherTests
{
    [Fact]
    public void CutIfDue_KeptBackRetriesDueAndNothingElseKeptBack_LeaveAtOnce()
    {
        var (batcher, cut, time) = Create(maxEvents: 10, maxWaitMs: 250);
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        var due = time.GetUtcNow() + TimeSpan.FromMilliseconds(400);
        batcher.Add(Retry(tier, 0, due));
        batcher.Add(Retry(tier, 1, due));

        time.Advance(TimeSpan.FromMilliseconds(400));
        batcher.ReleaseDue();

        Assert.True(batcher.CutIfDue());
        Assert.Equal([0L, 1L], Assert.Single(cut).Records.Select(r => r.Offset));
        Assert.Equal(0, batcher.Count);
    }

    [Theory]
    [InlineData(200)] // joins 100 ms later, within the 250 ms the first may wait
    [InlineData(350)] // joins exactly as the batch would leave
    public void CutIfDue_AnotherKeptBackRetryDueByTheDeadline_WaitsForItThenLeaves(int secondDueMs)
    {
        var (batcher, cut, time) = Create(maxEvents: 10, maxWaitMs: 250);
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        var now = time.GetUtcNow();
        batcher.Add(Retry(tier, 0, now + TimeSpan.FromMilliseconds(100)));
        batcher.Add(Retry(tier, 1, now + TimeSpan.FromMilliseconds(secondDueMs)));

        time.Advance(TimeSpan.FromMilliseconds(100));
        batcher.ReleaseDue();
        Assert.False(batcher.CutIfDue());

        time.Advance(TimeSpan.FromMilliseconds(secondDueMs - 100));
        batcher.ReleaseDue();
        Assert.True(batcher.CutIfDue());
        Assert.Equal(2, Assert.Single(cut).Records.Count);
    }

    [Fact]
    public void CutIfDue_NextKeptBackRetryDueAfterTheDeadline_DoesNotWaitForIt()
    {
        var (batcher, cut, time) = Create(maxEvents: 10, maxWaitMs: 250);
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        var now = time.GetUtcNow();
        batcher.Add(Retry(tier, 0, now + TimeSpan.FromMilliseconds(100)));
        batcher.Add(Retry(tier, 1, now + TimeSpan.FromMilliseconds(351)));

        time.Advance(TimeSpan.FromMilliseconds(100));
        batcher.ReleaseDue();

        Assert.True(batcher.CutIfDue());
        Assert.Equal(0L, Assert.Single(Assert.Single(cut).Records).Offset);
        Assert.Equal(1, batcher.Early);
    }

    [Fact]
    public void CutIfDue_RetryReadAfterItsDueTime_WaitsMaxWaitLikeAFirstAttempt()
    {
        var (batcher, cut, time) = Create(maxEvents: 10, maxWaitMs: 250);
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);

        batcher.Add(Retry(tier, 0, time.GetUtcNow()));

        Assert.False(batcher.CutIfDue());
        time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True(batcher.CutIfDue());
        Assert.Single(cut);
    }

    [Fact]
    public void CutIfDue_KeptBackRetryWithARetryReadLate_BothWaitMaxWait()
    {
        var (batcher, cut, time) = Create(maxEvents: 10, maxWaitMs: 250);
        var a = PipelineUnits.Partition("d.retry.1", partition: 0, retryTier: true);
        var b = PipelineUnits.Partition("d.retry.1", partition: 1, retryTier: true);
        batcher.Add(Retry(a, 0, time.GetUtcNow() + TimeSpan.FromMilliseconds(10)));
        time.Advance(TimeSpan.FromMilliseconds(10));
        batcher.Add(Retry(b, 0, time.GetUtcNow())); // read as it came due: more like it may still be fetched
        batcher.ReleaseDue();

        Assert.False(batcher.CutIfDue());
        Assert.Empty(cut);
    }

    [Fact]
    public void CutIfDue_KeptBackRetriesInAMixedBatch_LeaveAloneAndTheFirstAttemptsKeepTheirDeadline()
    {
        var (batcher, cut, time, slots) = WithSlots(slots: 1, maxEvents: 10);
        var source = PipelineUnits.Partition();
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        batcher.Add(Retry(tier, 7, time.GetUtcNow() + TimeSpan.FromMilliseconds(100)));
        batcher.Add(PipelineUnits.Record(source, 0));
        time.Advance(TimeSpan.FromMilliseconds(100));
        batcher.ReleaseDue();
        batcher.Add(PipelineUnits.Record(source, 1));

        Assert.True(batcher.CutIfDue());
        var retries = Assert.Single(cut);
        Assert.Equal(7L, Assert.Single(retries.Records).Offset);
        Assert.Equal(0, slots.Busy); // the retry lane's slots are its own
        Assert.Equal(2, batcher.Count);
        Assert.Equal(20, batcher.Bytes);

        time.Advance(TimeSpan.FromMilliseconds(149));
        Assert.False(batcher.CutIfDue()); // the first attempts' MaxWait counts from offset 0's arrival
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(batcher.CutIfDue());
        Assert.Equal([0L, 1L], cut[1].Records.Select(r => r.Offset));
        Assert.Equal(1, slots.Busy);
    }

    [Fact]
    public void CutAtLimit_EverySlotBusy_KeptBackRetriesStillLeave()
    {
        var (batcher, cut, time, slots) = WithSlots(slots: 1, maxEvents: 10);
        slots.Take();
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        batcher.Add(PipelineUnits.Record(PipelineUnits.Partition(), 0));
        batcher.Add(Retry(tier, 3, time.GetUtcNow() + TimeSpan.FromMilliseconds(5)));
        time.Advance(TimeSpan.FromMilliseconds(5));
        batcher.ReleaseDue();

        Assert.True(batcher.CutAtLimit());
        Assert.Equal(3L, Assert.Single(Assert.Single(cut).Records).Offset);
        Assert.Equal(1, batcher.Count);
    }
}
