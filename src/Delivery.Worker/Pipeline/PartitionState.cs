using Confluent.Kafka;
using Delivery.Core.Offsets;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// One assigned partition of a destination's consumer. Consumer-thread fields are touched only by the consume loop;
/// the revoke flag and the started count are shared with the workers under a lock.
/// </summary>
internal sealed class PartitionState(TopicPartition partition, PartitionOffsetTracker tracker, bool isRetryTier)
{
    private readonly Lock _gate = new();
    private bool _revoked;
    private volatile bool _released;
    private int _started;

    /// <summary>The topic partition.</summary>
    public TopicPartition Partition { get; } = partition;

    /// <summary>Its offset tracker (records resolve into the tracker they were tracked by).</summary>
    public PartitionOffsetTracker Tracker { get; } = tracker;

    /// <summary>True for a retry-tier topic of the destination.</summary>
    public bool IsRetryTier { get; } = isRetryTier;

    /// <summary>Last offset tracked (written by the consumer thread; read by the lag reader).</summary>
    public long LastTracked
    {
        get => Volatile.Read(ref _lastTracked);
        set => Volatile.Write(ref _lastTracked, value);
    }

    private long _lastTracked = -1;

    /// <summary>Paused until a retry record is due; the consumer was sought back to it (consumer thread).</summary>
    public bool WaitingForDue { get; set; }

    /// <summary>First offset tracked in this assignment, -1 before any (consumer thread).</summary>
    public long FirstTracked { get; set; } = -1;

    /// <summary>Last offset this consumer committed for the partition, -1 before any (consumer thread).</summary>
    public long Committed { get; set; } = -1;

    /// <summary>
    /// Tracked records not yet below the contiguous resolved point: unresolved ones and resolved ones waiting behind
    /// an unresolved one. What a lost partition would redeliver (consumer thread).
    /// </summary>
    public long Uncommittable
    {
        get
        {
            if (LastTracked < 0)
            {
                return 0;
            }

            var contiguous = Tracker.Committable ?? (Committed >= 0 ? Committed : FirstTracked);
            return Math.Max(0, LastTracked + 1 - contiguous);
        }
    }

    /// <summary>A seek back to this offset that has not succeeded yet (consumer thread).</summary>
    public long? PendingSeek { get; set; }

    /// <summary>
    /// After a seek back to a not-yet-due record, the offset the next record of this partition must have; a later one
    /// means the seek was lost and it is repeated (consumer thread).
    /// </summary>
    public long? ExpectedNext { get; set; }

    /// <summary>Consecutive lost seeks to <see cref="ExpectedNext"/> (bounded, in case the record was deleted by retention).</summary>
    public int LostSeeks { get; set; }

    /// <summary>The due time passed while a seek was still pending (consumer thread).</summary>
    public bool DueElapsed { get; set; }

    /// <summary>Whether the consumer has this partition paused; null when unknown (consumer thread).</summary>
    public bool? Paused { get; set; }

    /// <summary>The timer that ends <see cref="WaitingForDue"/>.</summary>
    public ITimer? DueTimer { get; set; }

    /// <summary>True once the partition was revoked or lost: its records no longer start.</summary>
    public bool IsRevoked
    {
        get
        {
            lock (_gate)
            {
                return _revoked;
            }
        }
    }

    /// <summary>True once the partition is no longer assigned to this consumer (revoke finished, or lost).</summary>
    public bool IsReleased => _released;

    /// <summary>Records of this partition being worked on.</summary>
    public int Started
    {
        get
        {
            lock (_gate)
            {
                return _started;
            }
        }
    }

    /// <summary>Marks one record started unless the partition was revoked.</summary>
    public bool TryStart()
    {
        lock (_gate)
        {
            if (_revoked)
            {
                return false;
            }

            _started++;
            return true;
        }
    }

    /// <summary>A started record was resolved or abandoned.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _started--;
        }
    }

    /// <summary>The partition left this consumer: in-flight produces for it may give up.</summary>
    public void MarkReleased() => _released = true;

    /// <summary>Stops new records from starting.</summary>
    public void Revoke()
    {
        lock (_gate)
        {
            _revoked = true;
        }

        DueTimer?.Dispose();
        DueTimer = null;
    }
}
