using System.Collections.Concurrent;

namespace Delivery.Core.Offsets;

/// <summary>
/// Offset trackers for every assigned partition of one consumer. Revoked partitions hand back what may still be
/// committed; lost partitions are dropped and commit nothing.
/// </summary>
/// <typeparam name="TPartition">The partition key (topic and partition), e.g. Confluent's TopicPartition.</typeparam>
public sealed class OffsetTracker<TPartition>
    where TPartition : notnull
{
    private readonly ConcurrentDictionary<TPartition, PartitionOffsetTracker> _partitions = new();

    /// <summary>The tracker of <paramref name="partition"/>, created on first use.</summary>
    public PartitionOffsetTracker For(TPartition partition) => _partitions.GetOrAdd(partition, static _ => new PartitionOffsetTracker());

    /// <summary>Partitions currently tracked.</summary>
    public IEnumerable<TPartition> Partitions => _partitions.Keys;

    /// <summary>Every partition whose committable offset moved, with that offset.</summary>
    public IReadOnlyList<KeyValuePair<TPartition, long>> CollectCommittable()
    {
        var result = new List<KeyValuePair<TPartition, long>>();
        foreach (var (partition, tracker) in _partitions)
        {
            if (tracker.Committable is { } offset)
            {
                result.Add(new(partition, offset));
            }
        }

        return result;
    }

    /// <summary>Stops tracking a revoked partition and returns its last committable offset, if it moved.</summary>
    public long? Revoke(TPartition partition)
        => _partitions.TryRemove(partition, out var tracker) ? tracker.Committable : null;

    /// <summary>Drops a lost partition: nothing of it may be committed.</summary>
    public void Lose(TPartition partition) => _partitions.TryRemove(partition, out _);
}
