using Delivery.Core.Options;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Infrastructure;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class KeyOrderStageTests : IDisposable
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();
    private readonly LoopWakeup _wakeup;
    private readonly KeyOrderStage _stage;
    private readonly WorkTracker _work;
    private readonly List<WorkBatch> _batches = [];
    private readonly Batcher _batcher;

    public KeyOrderStageTests()
    {
        _wakeup = new LoopWakeup(_time);
        _stage = new KeyOrderStage(new KeyOrderGate(_time), new KeyOrderInbox(_wakeup), new OrderedPartitionFlow(100));
        _work = new WorkTracker("d", PipelineUnits.Metrics(), _time, _wakeup) { Resolved = _stage.Inbox.Released };
        _batcher = new Batcher(new BatchOptions { MaxEvents = 1 }, _time, _batches.Add);
    }

    public void Dispose() => _wakeup.Dispose();

    private PendingRecord Consume(PartitionState state, long offset, string key)
    {
        var record = KeyOrderGateTests.Keyed(state, offset, key);
        _work.Tracked();
        _stage.Add(record, _batcher);
        return record;
    }

    private List<long> Sent() => [.. _batches.SelectMany(b => b.Records).Select(r => r.Offset)];

    private PendingRecord Start(long offset)
    {
        var record = _batches.SelectMany(b => b.Records).Last(r => r.Offset == offset);
        Assert.True(record.Partition.TryStart());
        record.Started = true;
        return record;
    }

    [Fact]
    public void Apply_RecordResolved_SendsTheNextOfItsKey()
    {
        var p = PipelineUnits.Partition();
        Consume(p, 0, "a");
        Consume(p, 1, "a");
        Consume(p, 2, "b");
        Assert.Equal([0L, 2L], Sent());

        _work.Resolve(Start(0), final: true);
        _stage.Apply(_batcher, _work, draining: false);

        Assert.Equal([0L, 2L, 1L], Sent());
    }

    [Fact]
    public void Apply_RetryHeldInPlace_NextAttemptSentWhenDueAndOffsetNeverCommittablePastIt()
    {
        var p = PipelineUnits.Partition();
        var failed = Consume(p, 0, "a");
        Consume(p, 1, "a");
        Consume(p, 2, "b");
        _work.Resolve(Start(2), final: true);

        Assert.True(_stage.Inbox.Retry(Start(0), _time.GetUtcNow().AddSeconds(2), _work));
        _stage.Apply(_batcher, _work, draining: false);

        Assert.Equal(0, p.Started);
        Assert.Equal(2, _work.InFlight);
        Assert.Equal(0, p.Tracker.Committable ?? 0);
        Assert.Equal([0L, 2L], Sent());
        Assert.Equal(TimeSpan.FromSeconds(2), _stage.Gate.UntilNextDue());

        _time.Advance(TimeSpan.FromSeconds(2));
        _stage.Apply(_batcher, _work, draining: false);

        var retry = _batches[^1].Records.Single();
        Assert.Equal(0, retry.Offset);
        Assert.Equal(2, retry.Event.Attempt);
        Assert.Equal(failed.Event.FirstAttemptAt, retry.Event.FirstAttemptAt);
        Assert.Equal(failed.Event.EventId, retry.Event.EventId);

        _work.Resolve(Start(0), final: true);
        _stage.Apply(_batcher, _work, draining: false);

        Assert.Equal([0L, 2L, 0L, 1L], Sent());
        Assert.Equal(1, _work.InFlight);
    }

    [Fact]
    public void Retry_RecordAlreadyAbandoned_NothingHeld()
    {
        var p = PipelineUnits.Partition();
        Consume(p, 0, "a");
        var record = Start(0);
        _work.Abandon(record);

        Assert.False(_stage.Inbox.Retry(record, _time.GetUtcNow(), _work));
        Assert.True(_stage.Inbox.IsEmpty);
    }

    [Fact]
    public void Apply_RetryWhileDraining_AbandonedSoTheDrainEnds()
    {
        var p = PipelineUnits.Partition();
        Consume(p, 0, "a");
        Consume(p, 1, "a");
        _stage.Inbox.Retry(Start(0), _time.GetUtcNow().AddSeconds(1), _work);

        _stage.Drop(static _ => true, _work.Abandon);
        _stage.Apply(_batcher, _work, draining: true);

        Assert.Equal(0, _work.InFlight);
        Assert.Equal(0, _stage.Gate.HeldRetries);
    }

    [Fact]
    public void PollTimeout_KeysWaitingForARelease_Short()
    {
        var p = PipelineUnits.Partition();
        Assert.Equal(TimeSpan.FromMilliseconds(50), _stage.PollTimeout(TimeSpan.FromMilliseconds(50)));
        Consume(p, 0, "a");
        Consume(p, 1, "a");

        Assert.Equal(KeyOrderStage.ReleasePoll, _stage.PollTimeout(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void Apply_RetryOfARevokedPartition_AbandonedNotHeld()
    {
        var p = PipelineUnits.Partition();
        Consume(p, 0, "a");
        Assert.True(_stage.Inbox.Retry(Start(0), _time.GetUtcNow().AddSeconds(1), _work));
        p.Revoke();

        _stage.Apply(_batcher, _work, draining: false);

        Assert.Equal(0, _stage.Gate.HeldRetries);
        Assert.Equal(0, _work.InFlight);
    }

    [Fact]
    public void Apply_NextRecordOfARevokedPartition_AbandonedNotSent()
    {
        var p = PipelineUnits.Partition();
        Consume(p, 0, "a");
        var next = Consume(p, 1, "a");
        var first = Start(0);
        p.Revoke();
        _work.Resolve(first, final: true);

        _stage.Apply(_batcher, _work, draining: false);

        Assert.Equal([0L], Sent());
        Assert.False(next.TryComplete());
        Assert.Equal(0, _work.InFlight);
    }

    [Fact]
    public void Apply_NextRecordWhileDraining_AbandonedNotSent()
    {
        var p = PipelineUnits.Partition();
        Consume(p, 0, "a");
        var next = Consume(p, 1, "a");
        _work.Resolve(Start(0), final: true);

        _stage.Apply(_batcher, _work, draining: true);

        Assert.Equal([0L], Sent());
        Assert.False(next.TryComplete());
    }

    [Fact]
    public void PollTimeout_RetryDueSoonerThanThePoll_EndsAtTheDueTime()
    {
        var p = PipelineUnits.Partition();
        Consume(p, 0, "a");
        _stage.Inbox.Retry(Start(0), _time.GetUtcNow().AddMilliseconds(3), _work);
        _stage.Apply(_batcher, _work, draining: false);

        Assert.Equal(TimeSpan.FromMilliseconds(3), _stage.PollTimeout(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(TimeSpan.FromMilliseconds(2), _stage.PollTimeout(TimeSpan.FromMilliseconds(2)));
    }

    [Fact]
    public async Task Released_WakesTheWaitingLoop()
    {
        var p = PipelineUnits.Partition();
        var record = KeyOrderGateTests.Keyed(p, 0, "a");
        var waiting = Task.Run(() => _wakeup.Wait(TimeSpan.FromHours(1), () => _stage.Inbox.IsEmpty, CancellationToken.None));
        await Wait.UntilAsync(() => _wakeup.HasWaiter, TimeSpan.FromSeconds(20), "the loop waits");

        _stage.Inbox.Released(record);

        await waiting.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Retry_WakesTheWaitingLoopAndKeepsTheRedriveCount()
    {
        var p = PipelineUnits.Partition();
        Consume(p, 0, "a");
        var started = Start(0);
        var redriven = new PendingRecord(p, started.Offset, started.Message, started.Event) { RedriveCount = 2, Started = true };
        var waiting = Task.Run(() => _wakeup.Wait(TimeSpan.FromHours(1), () => _stage.Inbox.IsEmpty, CancellationToken.None));
        await Wait.UntilAsync(() => _wakeup.HasWaiter, TimeSpan.FromSeconds(20), "the loop waits");

        Assert.True(_stage.Inbox.Retry(redriven, _time.GetUtcNow().AddSeconds(1), _work));

        await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(_stage.Inbox.TryTake(out var signal));
        Assert.Equal(2, signal.Record.RedriveCount);
        Assert.Equal(2, signal.Record.Event.Attempt);
    }

    [Fact]
    public void Guards_NullArguments_Throw()
    {
        var p = PipelineUnits.Partition();
        Assert.Throws<ArgumentNullException>(() => _stage.Add(PipelineUnits.Record(p, 0), null!));
        Assert.Throws<ArgumentNullException>(() => _stage.Apply(null!, _work, draining: false));
        Assert.Throws<ArgumentNullException>(() => _stage.Apply(_batcher, null!, draining: false));
        Assert.Throws<ArgumentNullException>(() => _stage.Inbox.Released(null!));
        Assert.Throws<ArgumentNullException>(() => _stage.Inbox.Retry(null!, _time.GetUtcNow(), _work));
        Assert.Throws<ArgumentNullException>(() => _stage.Inbox.Retry(PipelineUnits.Record(p, 1), _time.GetUtcNow(), null!));
    }
}
