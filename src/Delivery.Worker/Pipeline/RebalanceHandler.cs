using Confluent.Kafka;
using Delivery.Core.Topology;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The consumer's assignment callbacks (DESIGN.md §6), run on the consume loop inside Consume. Assigned: new states
/// in the registry. Revoked: stop the partitions' records from starting, drop their buffered ones, wake held batches,
/// give started work up to <c>RevokeTimeout</c> (waiting on the TimeProvider), commit what is resolved, then release
/// them. Lost: drop them and commit nothing (their work is redelivered to the new owner).
/// </summary>
internal sealed class RebalanceHandler(
    string destination,
    DestinationTopology topology,
    PartitionRegistry registry,
    CommitScheduler commits,
    Batcher batcher,
    WorkTracker work,
    HeldBatches held,
    PipelineRun run,
    TimeSpan revokeTimeout,
    TimeProvider time,
    ILogger logger,
    KeyOrderStage? order = null)
{
    private bool _changed;

    /// <summary>True (once) when the assignment changed since the last call: flow and seeks must be looked at again.</summary>
    public bool TakeChanged()
    {
        var changed = _changed;
        _changed = false;
        return changed;
    }

    public void OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        registry.Add(partitions.Select(p => new PartitionState(p, commits.TrackerFor(p), topology.IsTierTopic(p.Topic))));
        commits.OnAssigned();
        _changed = true;
        if (logger.IsEnabled(LogLevel.Information))
        {
            var described = Describe(partitions);
            PipelineLog.Assigned(logger, destination, described);
        }
    }

    /// <summary>Handles a revoke; <paramref name="commit"/> commits through the consumer (it may throw a KafkaException).</summary>
    public void OnRevoked(IReadOnlyList<TopicPartition> partitions, Action<IReadOnlyList<TopicPartitionOffset>> commit)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var states = new List<PartitionState>();
        foreach (var partition in partitions)
        {
            if (registry.TryGet(partition, out var state))
            {
                state.Revoke();
                states.Add(state);
            }
        }

        batcher.RemoveWhere(static r => r.Partition.IsRevoked, work.Abandon);
        order?.Drop(static p => p.IsRevoked, work.Abandon);
        held.WakeAll();
        WaitForStarted(states);
        var committed = commits.CommitRevoked(states.Select(s => s.Partition), commit);
        registry.Remove(states.Select(s => s.Partition));
        foreach (var state in states)
        {
            state.MarkReleased();
        }

        _changed = true;
        if (logger.IsEnabled(LogLevel.Information))
        {
            var described = Describe(partitions);
            var offsets = string.Join(",", committed.Select(c => $"{c.Topic}/{c.Partition.Value}@{c.Offset.Value}"));
            PipelineLog.Revoked(logger, destination, described, offsets);
        }
    }

    public void OnLost(IReadOnlyList<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        foreach (var state in registry.Remove(partitions))
        {
            state.Revoke();
            state.MarkReleased();
        }

        foreach (var partition in partitions)
        {
            commits.Lose(partition);
        }

        batcher.RemoveWhere(static r => r.Partition.IsRevoked, work.Abandon);
        order?.Drop(static p => p.IsRevoked, work.Abandon);
        held.WakeAll();
        _changed = true;
        PipelineLog.Lost(logger, destination, Describe(partitions));
    }

    /// <summary>Waits (at most RevokeTimeout on the clock) until no record of the revoked partitions is being worked on.</summary>
    private void WaitForStarted(List<PartitionState> states)
    {
        var since = time.GetTimestamp();
        bool AnyStarted() => states.Exists(static s => s.Started > 0);
        while (AnyStarted() && !run.IsAborted)
        {
            var left = revokeTimeout - time.GetElapsedTime(since);
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            work.Wakeup.Wait(left, AnyStarted, run.Aborted);
        }

        var stuck = states.Sum(static s => s.Started);
        if (stuck > 0)
        {
            PipelineLog.RevokeTimedOut(logger, destination, stuck);
        }
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) => string.Join(",", partitions.Select(p => $"{p.Topic}/{p.Partition.Value}"));
}
