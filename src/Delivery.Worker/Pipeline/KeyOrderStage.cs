namespace Delivery.Worker.Pipeline;

/// <summary>
/// The consume loop's side of <c>Ordering: PerKey</c>: consumed records go through the <see cref="KeyOrderGate"/>
/// before the batcher; each turn the workers' signals are applied (a released key sends its next record, a failed record
/// is held in place) and due retries go out again; the partitions' own pauses come from the
/// <see cref="OrderedPartitionFlow"/>. Consume loop only (the inbox is the only part other threads touch).
/// </summary>
internal sealed class KeyOrderStage(KeyOrderGate gate, KeyOrderInbox inbox, OrderedPartitionFlow flow)
{
    /// <summary>How often the loop looks at the inbox while keys wait for a release (it polls no longer than this).</summary>
    public static readonly TimeSpan ReleasePoll = TimeSpan.FromMilliseconds(5);

    private readonly List<PendingRecord> _due = [];

    /// <summary>The gate (for diagnostics).</summary>
    public KeyOrderGate Gate => gate;

    /// <summary>The inbox the workers post to.</summary>
    public KeyOrderInbox Inbox => inbox;

    /// <summary>A consumed, tracked record: to the batcher if its key is free, else parked behind it.</summary>
    public void Add(PendingRecord record, Batcher batcher)
    {
        ArgumentNullException.ThrowIfNull(batcher);
        if (gate.Admit(record))
        {
            batcher.Add(record);
        }
    }

    /// <summary>Applies the workers' signals and sends the retries that are due; while draining, they are abandoned.</summary>
    public void Apply(Batcher batcher, WorkTracker work, bool draining)
    {
        ArgumentNullException.ThrowIfNull(batcher);
        ArgumentNullException.ThrowIfNull(work);
        while (inbox.TryTake(out var signal))
        {
            if (signal.RetryAt is { } dueAt)
            {
                if (draining || signal.Record.Partition.IsRevoked || !gate.HoldRetry(signal.Record, dueAt))
                {
                    work.Abandon(signal.Record);
                }
            }
            else if (gate.Complete(signal.Record) is { } next)
            {
                Send(next, batcher, work, draining);
            }
        }

        _due.Clear();
        gate.TakeDue(_due);
        foreach (var record in _due)
        {
            Send(record, batcher, work, draining);
        }
    }

    /// <summary>The poll timeout: no later than the next due retry, and short while keys wait for a release.</summary>
    public TimeSpan PollTimeout(TimeSpan timeout)
    {
        if (gate.UntilNextDue() is { } due && due < timeout)
        {
            timeout = due;
        }

        return gate.Parked > 0 && ReleasePoll < timeout ? ReleasePoll : timeout;
    }

    /// <summary>The pressure of the partitions that are not paused on their own; updates their pause flags.</summary>
    public OrderedPressure Evaluate(IEnumerable<PartitionState> states) => flow.Evaluate(states);

    /// <summary>Drops the lanes of the partitions <paramref name="dropped"/> selects; their waiting records are abandoned.</summary>
    public void Drop(Func<PartitionState, bool> dropped, Action<PendingRecord> abandon) => gate.Drop(dropped, abandon);

    private static void Send(PendingRecord record, Batcher batcher, WorkTracker work, bool draining)
    {
        if (draining || record.Partition.IsRevoked)
        {
            work.Abandon(record);
        }
        else
        {
            batcher.Add(record);
        }
    }
}
