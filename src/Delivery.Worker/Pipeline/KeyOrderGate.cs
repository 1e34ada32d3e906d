namespace Delivery.Worker.Pipeline;

/// <summary>
/// Per-key order for an <c>Ordering: PerKey</c> destination (DESIGN.md §6). Every record belongs to a lane: its
/// partition and its Kafka key (records without a key share one lane per partition). At most one record of a lane is
/// out (in a batch, at the destination, or waiting for its retry); the lane's later records are parked behind it, in
/// partition order, and the next one goes out only when the one before was resolved (delivered, or its dead-letter
/// record acknowledged). A retry is held here until its due time and then goes out again, still first in its lane.
/// Pure apart from the clock; consume loop only.
/// </summary>
internal sealed class KeyOrderGate(TimeProvider time)
{
    private readonly Dictionary<PartitionState, PartitionLanes> _partitions = new(ReferenceEqualityComparer.Instance);
    private PriorityQueue<PendingRecord, DateTimeOffset> _due = new();

    /// <summary>Records parked behind the record out in their lane, over every partition.</summary>
    public int Parked { get; private set; }

    /// <summary>Retries held until their due time.</summary>
    public int HeldRetries => _due.Count;

    /// <summary>Lanes with a record out (each blocks its later records).</summary>
    public int BusyLanes { get; private set; }

    /// <summary>Records parked in <paramref name="partition"/>.</summary>
    public int ParkedIn(PartitionState partition) => _partitions.TryGetValue(partition, out var lanes) ? lanes.Parked : 0;

    /// <summary>A consumed record: true when it may go out now (its lane was free, now busy); false when it was parked.</summary>
    public bool Admit(PendingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_partitions.TryGetValue(record.Partition, out var lanes))
        {
            lanes = new PartitionLanes();
            _partitions[record.Partition] = lanes;
        }

        var lane = lanes.Lane(record.Message.Key);
        if (lane.Out is null)
        {
            lane.Out = record.Offset;
            BusyLanes++;
            return true;
        }

        lane.Waiting.Enqueue(record);
        lanes.Parked++;
        Parked++;
        return false;
    }

    /// <summary>
    /// The record out in its lane was resolved: the lane's next record, now out, or null (the lane is free). A record
    /// that is not the one out in its lane (a revoked partition, a stale completion) changes nothing.
    /// </summary>
    public PendingRecord? Complete(PendingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_partitions.TryGetValue(record.Partition, out var lanes) || !lanes.TryGet(record.Message.Key, out var lane) || lane.Out != record.Offset)
        {
            return null;
        }

        if (lane.Waiting.TryDequeue(out var next))
        {
            lanes.Parked--;
            Parked--;
            lane.Out = next.Offset;
            return next;
        }

        lane.Out = null;
        BusyLanes--;
        lanes.Remove(record.Message.Key);
        return null;
    }

    /// <summary>
    /// Holds the next attempt of the record out in its lane until <paramref name="dueAt"/>; false (nothing held) when
    /// it is not the record out in its lane (its partition was dropped meanwhile).
    /// </summary>
    public bool HoldRetry(PendingRecord next, DateTimeOffset dueAt)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (!_partitions.TryGetValue(next.Partition, out var lanes) || !lanes.TryGet(next.Message.Key, out var lane) || lane.Out != next.Offset)
        {
            return false;
        }

        _due.Enqueue(next, dueAt);
        return true;
    }

    /// <summary>Held retries whose due time has come, earliest first, into <paramref name="into"/>.</summary>
    public void TakeDue(List<PendingRecord> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var now = time.GetUtcNow();
        while (_due.TryPeek(out var record, out var dueAt) && dueAt <= now)
        {
            _due.Dequeue();
            into.Add(record);
        }
    }

    /// <summary>Time until the earliest held retry is due (zero: now); null when none is held.</summary>
    public TimeSpan? UntilNextDue()
    {
        if (!_due.TryPeek(out _, out var dueAt))
        {
            return null;
        }

        var left = dueAt - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// Drops the lanes of every partition <paramref name="dropped"/> selects (revoked, lost, or all on the drain): their
    /// parked records and held retries go to <paramref name="abandon"/> (left uncommitted, so redelivered in order).
    /// </summary>
    public void Drop(Func<PartitionState, bool> dropped, Action<PendingRecord> abandon)
    {
        ArgumentNullException.ThrowIfNull(dropped);
        ArgumentNullException.ThrowIfNull(abandon);
        foreach (var (partition, lanes) in _partitions.Where(p => dropped(p.Key)).ToList())
        {
            foreach (var record in lanes.DrainWaiting())
            {
                abandon(record);
            }

            Parked -= lanes.Parked;
            BusyLanes -= lanes.Busy;
            _partitions.Remove(partition);
        }

        if (_due.UnorderedItems.Any(item => dropped(item.Element.Partition)))
        {
            var kept = new PriorityQueue<PendingRecord, DateTimeOffset>();
            foreach (var (record, dueAt) in _due.UnorderedItems)
            {
                if (dropped(record.Partition))
                {
                    abandon(record);
                }
                else
                {
                    kept.Enqueue(record, dueAt);
                }
            }

            _due = kept;
        }
    }
}
