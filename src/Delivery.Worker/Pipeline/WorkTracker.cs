using Delivery.Worker.Telemetry;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// In-flight bookkeeping shared by every stage: consumed-and-unresolved count, held batches, and each record's single
/// resolution (resolve into its offset tracker, or abandon so it is redelivered). Counters are Interlocked; a release
/// wakes the consume loop when it waits for capacity or for a revoked partition's work.
/// </summary>
internal sealed class WorkTracker(string destination, DeliveryMetrics metrics, TimeProvider time, LoopWakeup wakeup)
{
    private long _inFlight;
    private long _inFlightRetry;
    private int _holding;

    /// <summary>Consumed, unresolved records.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>The part of <see cref="InFlight"/> read from retry tiers (<see cref="RetryLaneFlow"/>).</summary>
    public long InFlightRetry => Interlocked.Read(ref _inFlightRetry);

    /// <summary>Batches currently held (the destination is down).</summary>
    public int Holding => Volatile.Read(ref _holding);

    /// <summary>Called after a record was resolved (<c>Ordering: PerKey</c>: releases its key); null for none.</summary>
    public Action<PendingRecord>? Resolved { get; init; }

    /// <summary>The wake-up released records pulse.</summary>
    public LoopWakeup Wakeup => wakeup;

    /// <summary>A record was consumed and tracked; <paramref name="retryTier"/>: read from a retry tier.</summary>
    public void Tracked(bool retryTier = false)
    {
        Interlocked.Increment(ref _inFlight);
        if (retryTier)
        {
            Interlocked.Increment(ref _inFlightRetry);
        }
    }

    /// <summary>A batch started holding.</summary>
    public void HoldBegan() => Interlocked.Increment(ref _holding);

    /// <summary>A held batch stopped holding.</summary>
    public void HoldEnded() => Interlocked.Decrement(ref _holding);

    /// <summary>
    /// Resolves a record: delivered, or its retry/DLQ record was acknowledged. Its offset may now be committed.
    /// <paramref name="final"/>: the event's life ended here (delivered or dead-lettered), for the age metrics.
    /// </summary>
    public void Resolve(PendingRecord record, bool final) => Resolve(record, final, final ? time.GetUtcNow() : default);

    /// <summary>As <see cref="Resolve(PendingRecord, bool)"/>, with the clock read once by the caller for a whole batch.</summary>
    public void Resolve(PendingRecord record, bool final, DateTimeOffset now)
    {
        if (!Claim(record, final, now))
        {
            return;
        }

        Release(record);
        Resolved?.Invoke(record);
    }

    /// <summary>
    /// Resolves the delivered records of one batch as <see cref="Resolve(PendingRecord, bool, DateTimeOffset)"/> with
    /// <c>final</c>, with the shared counters changed once per run of records of the same partition, and one wake-up.
    /// </summary>
    public void ResolveDelivered(IReadOnlyList<PendingRecord> records, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (Resolved is not null)
        {
            // Ordering: PerKey releases each record's key after its release: keep the one-by-one path there.
            foreach (var record in records)
            {
                Resolve(record, final: true, now);
            }

            return;
        }

        long released = 0;
        long releasedRetry = 0;
        PartitionState? run = null;
        var started = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (!Claim(record, final: true, now))
            {
                continue;
            }

            if (!ReferenceEquals(run, record.Partition))
            {
                run?.Finish(started);
                (run, started) = (record.Partition, 0);
            }

            started += record.Started ? 1 : 0;
            released++;
            releasedRetry += record.Partition.IsRetryTier ? 1 : 0;
        }

        run?.Finish(started);
        if (released > 0)
        {
            Release(released, releasedRetry);
        }
    }

    /// <summary>
    /// Replaces a record by its next attempt, held in place (<c>Ordering: PerKey</c>): claims its resolution and ends
    /// its start, but it stays in flight and its offset stays unresolved. False if it was already resolved or abandoned.
    /// </summary>
    public bool Requeue(PendingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.TryComplete())
        {
            return false;
        }

        if (record.Started)
        {
            record.Partition.Finish();
        }

        wakeup.Pulse();
        return true;
    }

    /// <summary>Gives a record up unresolved: its offset stays uncommitted and it is redelivered.</summary>
    public void Abandon(PendingRecord record)
    {
        if (record.TryComplete())
        {
            Release(record);
        }
    }

    /// <summary>Claims the record's single resolution and resolves its offset (and, if final, records its age); false if already claimed.</summary>
    private bool Claim(PendingRecord record, bool final, DateTimeOffset now)
    {
        if (!record.TryComplete())
        {
            return false;
        }

        record.Partition.Tracker.Resolve(record.Offset);
        if (final)
        {
            metrics.EventResolved(destination, now - record.Event.FirstAttemptAt, Math.Max(1, record.Event.Attempt));
        }

        return true;
    }

    private void Release(PendingRecord record)
    {
        if (record.Started)
        {
            record.Partition.Finish();
        }

        Release(1, record.Partition.IsRetryTier ? 1 : 0);
    }

    /// <summary>Takes <paramref name="released"/> records (<paramref name="retry"/> of them from retry tiers) out of the in-flight counts and wakes the loop.</summary>
    private void Release(long released, long retry)
    {
        Interlocked.Add(ref _inFlight, -released);
        if (retry > 0)
        {
            Interlocked.Add(ref _inFlightRetry, -retry);
        }

        wakeup.Pulse();
    }
}
