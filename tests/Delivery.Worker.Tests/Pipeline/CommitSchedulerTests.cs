using Confluent.Kafka;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class CommitSchedulerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RevokeTimeout = TimeSpan.FromSeconds(10);
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();
    private readonly PartitionRegistry _registry = new();
    private readonly List<IReadOnlyList<TopicPartitionOffset>> _commits = [];

    private readonly DeliveryMetrics _metrics = PipelineUnits.Metrics();

    private CommitScheduler Scheduler() => new("d", Interval, RevokeTimeout, _registry, _metrics, _time, NullLogger.Instance);

    private PartitionState Assign(CommitScheduler scheduler, int partition = 0)
    {
        var tp = new TopicPartition("orders", partition);
        var state = new PartitionState(tp, scheduler.TrackerFor(tp), false);
        _registry.Add([state]);
        return state;
    }

    private static Action<IReadOnlyList<TopicPartitionOffset>> Failing(ErrorCode code) => _ => throw new KafkaException(code);

    [Fact]
    public void IsDue_AfterTheInterval()
    {
        var scheduler = Scheduler();

        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.False(scheduler.IsDue);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(scheduler.IsDue);
        scheduler.Commit(_commits.Add);
        Assert.False(scheduler.IsDue);
    }

    [Fact]
    public void Commit_CommitsOnlyThePointAfterTheContiguousResolvedOffsets()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        foreach (var offset in new long[] { 0, 1, 2, 3 })
        {
            state.Tracker.Track(offset);
        }

        state.Tracker.Resolve(0);
        state.Tracker.Resolve(1);
        state.Tracker.Resolve(3);
        scheduler.Commit(_commits.Add);

        var committed = Assert.Single(Assert.Single(_commits));
        Assert.Equal(2, committed.Offset.Value);
        Assert.Equal(2, state.Committed);
    }

    [Fact]
    public void Commit_NothingNewResolved_CommitsNothing()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);
        scheduler.Commit(_commits.Add);

        scheduler.Commit(_commits.Add);
        state.Tracker.Track(1);
        scheduler.Commit(_commits.Add);

        Assert.Single(_commits);
    }

    [Fact]
    public void Commit_FailingForThreeIntervals_StallsUntilOneSucceeds()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);

        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));
        _time.Advance(Interval * 3 - TimeSpan.FromMilliseconds(1));
        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));
        Assert.False(scheduler.Stalled);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));
        Assert.True(scheduler.Stalled);
        Assert.True(scheduler.CommitBlocked());

        scheduler.Commit(_commits.Add);
        Assert.False(scheduler.Stalled);
        Assert.False(scheduler.CommitBlocked());
    }

    [Fact]
    public void CommitBlocked_OneCommitHangingForThreeIntervals_BlocksTheWorkers()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);
        var blockedEarly = true;
        var blockedLate = false;

        scheduler.Commit(_ =>
        {
            _time.Advance(Interval * 3 - TimeSpan.FromMilliseconds(1));
            blockedEarly = scheduler.CommitBlocked();
            _time.Advance(TimeSpan.FromMilliseconds(1));
            blockedLate = scheduler.CommitBlocked();
        });

        Assert.False(blockedEarly);
        Assert.True(blockedLate);
        Assert.False(scheduler.CommitBlocked());
    }

    [Fact]
    public void Commit_RefusedForARebalance_RebalancingUntilAssignedOrRevokeTimeout()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);

        scheduler.Commit(Failing(ErrorCode.RebalanceInProgress));
        Assert.True(scheduler.Rebalancing);
        _time.Advance(RevokeTimeout);
        Assert.True(scheduler.Rebalancing);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(scheduler.Rebalancing);

        scheduler.Commit(Failing(ErrorCode.IllegalGeneration));
        Assert.True(scheduler.Rebalancing);
        scheduler.OnAssigned();
        Assert.False(scheduler.Rebalancing);
    }

    [Fact]
    public void Commit_Failing_CountsEveryFailedCommit()
    {
        using var failures = new MetricCollector<long>(_metrics.Meter, "delivery.commit.failures");
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);

        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));
        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));
        scheduler.Commit(_commits.Add);

        Assert.Equal(2, failures.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public void Commit_OtherFailure_IsNotARebalance()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);

        scheduler.Commit(Failing(ErrorCode.NetworkException));

        Assert.False(scheduler.Rebalancing);
        Assert.Equal(-1, state.Committed);
    }

    [Fact]
    public void CommitRevoked_CommitsTheRevokedPartitionsResolvedOffsets()
    {
        var scheduler = Scheduler();
        var revoked = Assign(scheduler, 0);
        var kept = Assign(scheduler, 1);
        revoked.Tracker.Track(5);
        revoked.Tracker.Resolve(5);
        kept.Tracker.Track(9);
        kept.Tracker.Resolve(9);

        var committed = scheduler.CommitRevoked([revoked.Partition], _commits.Add);

        Assert.Equal(new TopicPartitionOffset(revoked.Partition, 6), Assert.Single(committed));
        Assert.Equal(committed, Assert.Single(_commits));
        scheduler.Commit(_commits.Add);
        Assert.Equal(new TopicPartitionOffset(kept.Partition, 10), Assert.Single(_commits[1]));
    }

    [Fact]
    public void Lose_CommitsNothingOfThePartition()
    {
        var scheduler = Scheduler();
        var lost = Assign(scheduler);
        lost.Tracker.Track(0);
        lost.Tracker.Resolve(0);

        scheduler.Lose(lost.Partition);
        scheduler.Commit(_commits.Add);

        Assert.Empty(_commits);
    }

    [Fact]
    public void Commit_PartlyRefusedForARebalance_MarksOnlyTheCommittedPartitionsAndPauses()
    {
        using var failures = new MetricCollector<long>(_metrics.Meter, "delivery.commit.failures");
        var scheduler = Scheduler();
        var done = Assign(scheduler, 0);
        var refused = Assign(scheduler, 1);
        foreach (var state in new[] { done, refused })
        {
            state.Tracker.Track(0);
            state.Tracker.Resolve(0);
        }

        scheduler.Commit(_ => throw new TopicPartitionOffsetException(
        [
            new TopicPartitionOffsetError(done.Partition, 1, new Error(ErrorCode.NoError)),
            new TopicPartitionOffsetError(refused.Partition, 1, new Error(ErrorCode.RebalanceInProgress)),
        ]));

        Assert.Equal(1, done.Committed);
        Assert.Equal(-1, refused.Committed);
        Assert.True(scheduler.Rebalancing);
        Assert.Equal(1, failures.GetMeasurementSnapshot().EvaluateAsCounter());
        scheduler.Commit(_commits.Add);
        Assert.Equal(new TopicPartitionOffset(refused.Partition, 1), Assert.Single(Assert.Single(_commits)));
    }

    [Fact]
    public void Commit_PartlyFailedForAnotherReason_IsNotARebalance()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);

        scheduler.Commit(_ => throw new TopicPartitionOffsetException(
            [new TopicPartitionOffsetError(state.Partition, 1, new Error(ErrorCode.RequestTimedOut))]));

        Assert.False(scheduler.Rebalancing);
        Assert.Equal(-1, state.Committed);
    }

    [Fact]
    public void Commit_RefusedForAnUnknownMember_Rebalancing()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);

        scheduler.Commit(Failing(ErrorCode.UnknownMemberId));

        Assert.True(scheduler.Rebalancing);
    }

    [Fact]
    public void Commit_RefusedAgainForTheSameRebalance_ExpiresRevokeTimeoutAfterTheFirstRefusal()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);

        scheduler.Commit(Failing(ErrorCode.RebalanceInProgress));
        _time.Advance(RevokeTimeout / 2);
        scheduler.Commit(Failing(ErrorCode.RebalanceInProgress));
        _time.Advance(RevokeTimeout / 2 + TimeSpan.FromMilliseconds(1));

        Assert.False(scheduler.Rebalancing);
    }

    [Fact]
    public void Commit_Failing_WaitsTheIntervalBeforeTheNextTry()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);
        _time.Advance(Interval);

        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));

        Assert.False(scheduler.IsDue);
        Assert.False(scheduler.CommitBlocked());
    }

    [Fact]
    public void OnAssigned_AfterAStall_ResumesAndCountsTheNextFailuresAfresh()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);
        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));
        _time.Advance(Interval * 3);
        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));
        Assert.True(scheduler.Stalled);

        scheduler.OnAssigned();
        Assert.False(scheduler.Stalled);
        _time.Advance(Interval);
        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));

        Assert.False(scheduler.Stalled);
    }

    [Fact]
    public void CommitRevoked_CommitFails_CountsTheFailureAndReturnsWhatWasAttempted()
    {
        using var failures = new MetricCollector<long>(_metrics.Meter, "delivery.commit.failures");
        var scheduler = Scheduler();
        var revoked = Assign(scheduler);
        revoked.Tracker.Track(3);
        revoked.Tracker.Resolve(3);

        var attempted = scheduler.CommitRevoked([revoked.Partition], Failing(ErrorCode.RebalanceInProgress));

        Assert.Equal(new TopicPartitionOffset(revoked.Partition, 4), Assert.Single(attempted));
        Assert.Equal(1, failures.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public void CommitRevoked_NothingResolved_CommitsNothing()
    {
        var scheduler = Scheduler();
        var revoked = Assign(scheduler);
        revoked.Tracker.Track(3);

        var attempted = scheduler.CommitRevoked([revoked.Partition], _commits.Add);

        Assert.Empty(attempted);
        Assert.Empty(_commits);
    }

    [Fact]
    public void Commit_PartitionNoLongerInTheRegistry_CommittedWithoutAState()
    {
        var scheduler = Scheduler();
        var tracker = scheduler.TrackerFor(new TopicPartition("orders", 7));
        tracker.Track(0);
        tracker.Resolve(0);

        scheduler.Commit(_commits.Add);

        Assert.Equal(new TopicPartitionOffset(new TopicPartition("orders", 7), 1), Assert.Single(Assert.Single(_commits)));
        Assert.False(scheduler.Stalled);
    }

    [Fact]
    public void Commit_NothingToCommitForManyIntervals_NeverStalls()
    {
        var scheduler = Scheduler();
        Assign(scheduler);

        for (var i = 0; i < 5; i++)
        {
            scheduler.Commit(_commits.Add);
            _time.Advance(Interval);
        }

        Assert.False(scheduler.Stalled);
        Assert.Empty(_commits);
    }

    [Fact]
    public void Commit_SucceedingEveryInterval_NeverStalls()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);

        for (var offset = 0; offset < 5; offset++)
        {
            state.Tracker.Track(offset);
            state.Tracker.Resolve(offset);
            scheduler.Commit(_commits.Add);
            _time.Advance(Interval);
        }

        Assert.False(scheduler.Stalled);
        Assert.Equal(5, _commits.Count);
    }

    [Fact]
    public void Commit_FirstFailureLongAfterASuccess_DoesNotStallYet()
    {
        var scheduler = Scheduler();
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);
        scheduler.Commit(_commits.Add);
        _time.Advance(Interval * 5);
        state.Tracker.Track(1);
        state.Tracker.Resolve(1);

        scheduler.Commit(Failing(ErrorCode.RequestTimedOut));

        Assert.False(scheduler.Stalled);
    }

    [Fact]
    public void Commit_Fails_LogsTheReason()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        var scheduler = new CommitScheduler("d", Interval, RevokeTimeout, _registry, _metrics, _time, logger);
        var state = Assign(scheduler);
        state.Tracker.Track(0);
        state.Tracker.Resolve(0);

        scheduler.Commit(_ => throw new KafkaException(new Error(ErrorCode.RequestTimedOut, "broker timed out")));

        var log = logger.Collector.LatestRecord;
        Assert.Equal(3009, log.Id.Id);
        Assert.Contains("offset commit failed: broker timed out", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_NullDelegate_Throws()
    {
        var scheduler = Scheduler();
        Assert.Throws<ArgumentNullException>(() => scheduler.Commit(null!));
        Assert.Throws<ArgumentNullException>(() => scheduler.CommitRevoked([], null!));
    }
}
