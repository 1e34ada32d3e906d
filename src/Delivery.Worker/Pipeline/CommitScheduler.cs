using Confluent.Kafka;
using Delivery.Core.Offsets;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Offset commits of one consumer (DESIGN.md §6): every <c>CommitInterval</c> the highest contiguous resolved offset of
/// each partition (never past an unresolved one), the revoked partitions' offsets before a revoke returns, nothing of a
/// lost partition. Detects a commit stall (commits failing for three intervals, or one commit blocked that long) and a
/// rebalance the coordinator announced by refusing a commit; both pause consumption so the work that cannot be
/// committed stays small. The commit itself is the caller's delegate (the consume loop's consumer). Written by the
/// consume loop; <see cref="CommitBlocked"/> is read by the workers (Interlocked/Volatile).
/// </summary>
internal sealed class CommitScheduler(string destination, TimeSpan interval, TimeSpan revokeTimeout, PartitionRegistry registry, DeliveryMetrics metrics, TimeProvider time, ILogger logger)
{
    private readonly OffsetTracker<TopicPartition> _offsets = new();
    private long _lastCommit = time.GetTimestamp();
    private long _commitStartedAt;
    private long _failingSince;
    private int _stalled;
    private long _rebalancingSince;

    /// <summary>Commits keep failing (for three intervals).</summary>
    public bool Stalled => Volatile.Read(ref _stalled) != 0;

    /// <summary>A commit was refused because of a rebalance that has not reached this consumer yet (expires after RevokeTimeout).</summary>
    public bool Rebalancing
    {
        get
        {
            if (_rebalancingSince != 0 && time.GetElapsedTime(_rebalancingSince) > revokeTimeout)
            {
                // The rebalance never reached this consumer: resume rather than stay paused.
                _rebalancingSince = 0;
            }

            return _rebalancingSince != 0;
        }
    }

    /// <summary>The interval passed since the last commit.</summary>
    public bool IsDue => time.GetElapsedTime(_lastCommit) >= interval;

    /// <summary>The offset tracker of <paramref name="partition"/>.</summary>
    public PartitionOffsetTracker TrackerFor(TopicPartition partition) => _offsets.For(partition);

    /// <summary>Stalled, or one commit has been blocked (coordinator unreachable) for three intervals. Any thread.</summary>
    public bool CommitBlocked()
    {
        if (Stalled)
        {
            return true;
        }

        var started = Interlocked.Read(ref _commitStartedAt);
        return started != 0 && time.GetElapsedTime(started) >= interval * 3;
    }

    /// <summary>Commits what became committable through <paramref name="commit"/> (which throws a KafkaException on failure).</summary>
    public void Commit(Action<IReadOnlyList<TopicPartitionOffset>> commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var committable = _offsets.CollectCommittable();
        if (committable.Count == 0)
        {
            NoteOutcome(success: true);
            return;
        }

        Interlocked.Exchange(ref _commitStartedAt, time.GetTimestamp());
        try
        {
            commit([.. committable.Select(c => new TopicPartitionOffset(c.Key, c.Value))]);
            foreach (var (partition, offset) in committable)
            {
                MarkCommitted(partition, offset);
            }

            NoteOutcome(success: true);
            return;
        }
        catch (TopicPartitionOffsetException e)
        {
            NoteRebalance(e.Error.Code);
            foreach (var result in e.Results)
            {
                NoteRebalance(result.Error.Code);
                if (!result.Error.IsError)
                {
                    MarkCommitted(result.TopicPartition, result.Offset.Value);
                }
            }

            PipelineLog.CommitFailed(logger, destination, e.Error.Reason);
            metrics.CommitFailed(destination);
        }
        catch (KafkaException e)
        {
            NoteRebalance(e.Error.Code);
            PipelineLog.CommitFailed(logger, destination, e.Error.Reason);
            metrics.CommitFailed(destination);
        }

        NoteOutcome(success: false);
    }

    /// <summary>
    /// Stops tracking revoked partitions and commits their resolved offsets before the revoke returns. Returns what
    /// was committed (or attempted), for the log.
    /// </summary>
    public IReadOnlyList<TopicPartitionOffset> CommitRevoked(IEnumerable<TopicPartition> partitions, Action<IReadOnlyList<TopicPartitionOffset>> commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var offsets = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            if (_offsets.Revoke(partition) is { } offset)
            {
                offsets.Add(new TopicPartitionOffset(partition, offset));
            }
        }

        if (offsets.Count > 0)
        {
            try
            {
                commit(offsets);
            }
            catch (KafkaException e)
            {
                PipelineLog.CommitFailed(logger, destination, e.Error.Reason);
                metrics.CommitFailed(destination);
            }
        }

        return offsets;
    }

    /// <summary>Drops a lost partition: nothing of it may be committed.</summary>
    public void Lose(TopicPartition partition) => _offsets.Lose(partition);

    /// <summary>Partitions were assigned: the rebalance reached this consumer; start afresh.</summary>
    public void OnAssigned()
    {
        _rebalancingSince = 0;
        _failingSince = 0;
        Volatile.Write(ref _stalled, 0);
    }

    private void MarkCommitted(TopicPartition partition, long offset)
    {
        // Only partitions still assigned: a revoked or lost one has no tracker any more.
        if (registry.TryGet(partition, out var state))
        {
            state.Tracker.MarkCommitted(offset);
            state.Committed = offset;
        }
    }

    /// <summary>
    /// Resolved work that cannot be committed is redelivered if the partitions move (lost session, crash). When
    /// commits keep failing for three commit intervals, stop feeding new batches until one succeeds.
    /// </summary>
    private void NoteOutcome(bool success)
    {
        Interlocked.Exchange(ref _commitStartedAt, 0);
        _lastCommit = time.GetTimestamp();
        if (success)
        {
            _failingSince = 0;
            Volatile.Write(ref _stalled, 0);
            return;
        }

        if (_failingSince == 0)
        {
            _failingSince = time.GetTimestamp();
        }
        else if (time.GetElapsedTime(_failingSince) >= interval * 3)
        {
            Volatile.Write(ref _stalled, 1);
        }
    }

    /// <summary>A commit refused because the group is rebalancing: pause until the rebalance reaches this consumer.</summary>
    private void NoteRebalance(ErrorCode code)
    {
        if (code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId && _rebalancingSince == 0)
        {
            _rebalancingSince = time.GetTimestamp();
        }
    }
}
