using Confluent.Kafka;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The single map of a consumer's assigned partitions. Written by the consume loop only (its own thread and the
/// rebalance callbacks it serves); every change publishes an immutable snapshot that other threads (lag sampler,
/// status, diagnostics) read instead of the map.
/// </summary>
internal sealed class PartitionRegistry
{
    private readonly Dictionary<TopicPartition, PartitionState> _map = [];
    private PartitionState[] _snapshot = [];
    private PartitionState? _last;

    /// <summary>The assigned partitions (consume loop only).</summary>
    public IReadOnlyCollection<PartitionState> All => _map.Values;

    /// <summary>The assigned partitions as last published: safe to read from any thread.</summary>
    public IReadOnlyList<PartitionState> Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>The state of <paramref name="partition"/>, if assigned (consume loop only).</summary>
    public bool TryGet(TopicPartition partition, out PartitionState state) => _map.TryGetValue(partition, out state!);

    /// <summary>
    /// The state of a consumed record's partition without building a <see cref="TopicPartition"/> (Confluent's
    /// <c>ConsumeResult.TopicPartition</c> allocates one per call): consecutive records mostly come from the same
    /// partition, so the last hit is checked first. The cache is cleared on every change of the assignment.
    /// </summary>
    public bool TryGet(string topic, int partition, out PartitionState state)
    {
        if (_last is { } last && last.Partition.Partition.Value == partition && string.Equals(last.Partition.Topic, topic, StringComparison.Ordinal))
        {
            state = last;
            return true;
        }

        if (_map.TryGetValue(new TopicPartition(topic, partition), out state!))
        {
            _last = state;
            return true;
        }

        return false;
    }

    /// <summary>True when <paramref name="state"/> is still the assigned state of its partition (not a revoked one).</summary>
    public bool IsCurrent(PartitionState state) => _map.TryGetValue(state.Partition, out var current) && ReferenceEquals(current, state);

    /// <summary>Adds (or replaces) assigned partitions and publishes.</summary>
    public void Add(IEnumerable<PartitionState> states)
    {
        foreach (var state in states)
        {
            _map[state.Partition] = state;
        }

        Publish();
    }

    /// <summary>Removes partitions that left and publishes; returns the states removed.</summary>
    public List<PartitionState> Remove(IEnumerable<TopicPartition> partitions)
    {
        var removed = new List<PartitionState>();
        foreach (var partition in partitions)
        {
            if (_map.Remove(partition, out var state))
            {
                removed.Add(state);
            }
        }

        Publish();
        return removed;
    }

    /// <summary>Records that would be redelivered if every partition moved now (consume loop only).</summary>
    public long Uncommittable()
    {
        long window = 0;
        foreach (var state in _map.Values)
        {
            window += state.Uncommittable;
        }

        return window;
    }

    private void Publish()
    {
        _last = null;
        Volatile.Write(ref _snapshot, [.. _map.Values]);
    }
}
