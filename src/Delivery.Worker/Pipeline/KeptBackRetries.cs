namespace Delivery.Worker.Pipeline;

/// <summary>
/// The retry records the batcher took before their due time (<c>Pipeline:RetryPrefetch</c>), kept back per partition
/// in offset order until due: a due record waits behind an earlier one of its partition, as it did behind a paused
/// partition's head, so that a drain or revoke, which abandons what is kept back, never leaves a delivered record
/// after an abandoned one (the commit would stop below it and redeliver it). Owned by the <see cref="Batcher"/>:
/// consume loop only; the clock is passed in.
/// </summary>
internal sealed class KeptBackRetries
{
    private readonly Dictionary<PartitionState, Queue<(PendingRecord Record, DateTimeOffset Due)>> _queues = [];

    /// <summary>Records kept back.</summary>
    public int Count { get; private set; }

    /// <summary>True while records of <paramref name="partition"/> are kept back: a later one must wait behind them.</summary>
    public bool Holds(PartitionState partition) => _queues.ContainsKey(partition);

    /// <summary>Keeps <paramref name="record"/> back until <paramref name="due"/>, behind those of its partition.</summary>
    public void Add(PendingRecord record, DateTimeOffset due)
    {
        if (!_queues.TryGetValue(record.Partition, out var queue))
        {
            _queues[record.Partition] = queue = new Queue<(PendingRecord, DateTimeOffset)>();
        }

        queue.Enqueue((record, due));
        Count++;
    }

    /// <summary>
    /// Hands every record whose turn has come at <paramref name="now"/> (due, and every earlier one of its partition
    /// gone) to <paramref name="release"/> with how long it has been due, each partition's in offset order.
    /// </summary>
    public void ReleaseDue(DateTimeOffset now, Action<PendingRecord, TimeSpan> release)
    {
        List<PartitionState>? emptied = null;
        foreach (var (partition, queue) in _queues)
        {
            while (queue.TryPeek(out var head) && head.Due <= now)
            {
                queue.Dequeue();
                Count--;
                release(head.Record, now - head.Due);
            }

            if (queue.Count == 0)
            {
                (emptied ??= []).Add(partition);
            }
        }

        foreach (var partition in emptied ?? [])
        {
            _queues.Remove(partition);
        }
    }

    /// <summary>Time from <paramref name="now"/> until the next partition's head is due (zero: one is); null when none is kept back.</summary>
    public TimeSpan? UntilNextDue(DateTimeOffset now)
    {
        if (Count == 0)
        {
            return null;
        }

        var due = DateTimeOffset.MaxValue;
        foreach (var queue in _queues.Values)
        {
            if (queue.TryPeek(out var head) && head.Due < due)
            {
                due = head.Due;
            }
        }

        var remaining = due - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>Takes the records that match out and hands them to <paramref name="removed"/>; the others stay, in order.</summary>
    public void RemoveWhere(Func<PendingRecord, bool> predicate, Action<PendingRecord> removed)
    {
        if (Count == 0)
        {
            return;
        }

        var all = _queues.Values.SelectMany(static q => q).ToList();
        _queues.Clear();
        Count = 0;
        foreach (var (record, due) in all)
        {
            if (predicate(record))
            {
                removed(record);
            }
            else
            {
                Add(record, due);
            }
        }
    }
}
