using Confluent.Kafka;
using Delivery.Core.Offsets;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// One assigned partition of a destination's consumer. The consume-loop fields (due-time gate, pause state, commit
/// point) are written by the consume loop only. The work fields (revoked flag and started count, kept in one word so
/// that "not revoked, start one" is a single atomic step), <see cref="LastTracked"/> and the released flag are shared
/// with the workers and the lag sampler through Interlocked/Volatile.
/// </summary>
internal sealed class PartitionState(TopicPartition partition, PartitionOffsetTracker tracker, bool isRetryTier)
{
    private const int RevokedBit = 1 << 30;
    private int _work;
    private int _released;
    private long _lastTracked = -1;

    /// <summary>The topic partition.</summary>
    public TopicPartition Partition { get; } = partition;

    /// <summary>Its offset tracker (records resolve into the tracker they were tracked by).</summary>
    public PartitionOffsetTracker Tracker { get; } = tracker;

    /// <summary>True for a retry-tier topic of the destination.</summary>
    public bool IsRetryTier { get; } = isRetryTier;

    /// <summary>Last offset tracked (written by the consume loop; read by the lag sampler).</summary>
    public long LastTracked
    {
        get => Volatile.Read(ref _lastTracked);
        set => Volatile.Write(ref _lastTracked, value);
    }

    /// <summary>Paused until a retry record is due; the consumer was sought back to it (consume loop).</summary>
    public bool WaitingForDue { get; set; }

    /// <summary>First offset tracked in this assignment, -1 before any (consume loop).</summary>
    public long FirstTracked { get; set; } = -1;

    /// <summary>Last offset this consumer committed for the partition, -1 before any (consume loop).</summary>
    public long Committed { get; set; } = -1;

    /// <summary>
    /// Tracked records not yet below the contiguous resolved point: unresolved ones and resolved ones waiting behind
    /// an unresolved one. What a lost partition would redeliver (consume loop).
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

    /// <summary>Paused on its own because its waiting events reached the limit (<c>Ordering: PerKey</c>; consume loop).</summary>
    public bool OrderPaused { get; set; }

    /// <summary>A seek back to this offset that has not succeeded yet (consume loop).</summary>
    public long? PendingSeek { get; set; }

    /// <summary>
    /// After a seek back to a not-yet-due record, the offset the next record of this partition must have; a later one
    /// means the seek was lost and it is repeated (consume loop).
    /// </summary>
    public long? ExpectedNext { get; set; }

    /// <summary>Consecutive lost seeks to <see cref="ExpectedNext"/> (bounded, in case the record was deleted by retention).</summary>
    public int LostSeeks { get; set; }

    /// <summary>The due time passed while a seek was still pending (consume loop).</summary>
    public bool DueElapsed { get; set; }

    /// <summary>Whether the consumer has this partition paused; null when unknown (consume loop).</summary>
    public bool? Paused { get; set; }

    /// <summary>Counts deferrals, so a due command of an earlier one is recognised (consume loop).</summary>
    public int DueGeneration { get; set; }

    /// <summary>The timer that ends <see cref="WaitingForDue"/> (consume loop).</summary>
    public ITimer? DueTimer { get; set; }

    /// <summary>True once the partition was revoked or lost: its records no longer start.</summary>
    public bool IsRevoked => (Volatile.Read(ref _work) & RevokedBit) != 0;

    /// <summary>True once the partition is no longer assigned to this consumer (revoke finished, or lost).</summary>
    public bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>Records of this partition being worked on.</summary>
    public int Started => Volatile.Read(ref _work) & ~RevokedBit;

    /// <summary>Marks one record started unless the partition was revoked.</summary>
    public bool TryStart() => TryStart(1);

    /// <summary>Marks <paramref name="count"/> records started at once (a batch's run of this partition) unless the partition was revoked.</summary>
    public bool TryStart(int count)
    {
        while (true)
        {
            var work = Volatile.Read(ref _work);
            if ((work & RevokedBit) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _work, work + count, work) == work)
            {
                return true;
            }
        }
    }

    /// <summary>A started record was resolved or abandoned.</summary>
    public void Finish() => Interlocked.Decrement(ref _work);

    /// <summary><paramref name="count"/> started records were resolved at once.</summary>
    public void Finish(int count) => Interlocked.Add(ref _work, -count);

    /// <summary>The partition left this consumer: in-flight produces for it may give up.</summary>
    public void MarkReleased() => Volatile.Write(ref _released, 1);

    /// <summary>Stops new records from starting (consume loop: also ends the due timer).</summary>
    public void Revoke()
    {
        Interlocked.Or(ref _work, RevokedBit);
        DueTimer?.Dispose();
        DueTimer = null;
    }
}
