using System.Collections.Concurrent;
using Delivery.Core.Events;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// What the workers tell the consume loop about an <c>Ordering: PerKey</c> destination's records: a record was resolved
/// (its lane may release the next record), or a record's retry is held in place until its due time (the next attempt
/// replaces it, still unresolved, so its offset stays uncommitted). Any thread posts, the consume loop takes; posting
/// wakes the loop.
/// </summary>
internal sealed class KeyOrderInbox(LoopWakeup wakeup)
{
    private readonly ConcurrentQueue<KeyOrderSignal> _queue = new();

    /// <summary>True when nothing is waiting to be applied.</summary>
    public bool IsEmpty => _queue.IsEmpty;

    /// <summary>A record was resolved (delivered, or its dead-letter record acknowledged): its key is released.</summary>
    public void Released(PendingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _queue.Enqueue(new KeyOrderSignal(record, null));
        wakeup.Pulse();
    }

    /// <summary>
    /// Holds a failed record's retry in place: its next attempt (attempt + 1, same first-attempt time, so MaxAttempts
    /// and MaxAge apply as on a retry topic) is due at <paramref name="dueAt"/>. False when the record was already
    /// given up.
    /// </summary>
    public bool Retry(PendingRecord record, DateTimeOffset dueAt, WorkTracker work)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(work);
        if (!work.Requeue(record))
        {
            return false;
        }

        _queue.Enqueue(new KeyOrderSignal(NextAttempt(record), dueAt));
        wakeup.Pulse();
        return true;
    }

    /// <summary>Takes the next signal (consume loop only).</summary>
    public bool TryTake(out KeyOrderSignal signal) => _queue.TryDequeue(out signal);

    /// <summary>The record's next attempt: the same record and offset, its event with the attempt counted up.</summary>
    internal static PendingRecord NextAttempt(PendingRecord record)
    {
        var evt = record.Event;
        var next = new DeliveryEvent
        {
            EventId = evt.EventId,
            Key = evt.Key,
            Value = evt.Value,
            Headers = evt.Headers,
            Attempt = evt.Attempt + 1,
            FirstAttemptAt = evt.FirstAttemptAt,
            Origin = evt.Origin,
            TraceParent = evt.TraceParent,
        };
        return new PendingRecord(record.Partition, record.Offset, record.Message, next) { RedriveCount = record.RedriveCount };
    }
}
