using Delivery.Core.Options;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Cuts consumed records into batches, by demand (docs/configuration.md, Batch). A batch leaves at once when it
/// reaches <c>MaxEvents</c> or <c>MaxBytes</c> (a record that would push it past MaxBytes starts the next one). A
/// partial batch leaves only when a handler slot is free (<see cref="BatchSlots"/>) and either its first record has
/// waited <c>MaxWait</c> (<see cref="CutIfDue"/>) or the loop stopped polling at the in-flight limit
/// (<see cref="CutAtLimit"/>, nothing more can join it). While every slot is busy it keeps filling: a fuller batch
/// costs nothing then. MaxWait counts from when a record became deliverable: a retry record read after its due time
/// (<see cref="PendingRecord.NotBefore"/>) has already waited that long; one read before it (taken early, within
/// <c>Pipeline:RetryPrefetch</c>) is kept back and joins the open batch at its due time (<see cref="ReleaseDue"/>).
/// Retries kept back until due do not wait for batch-mates nobody knows of: once no other record kept back comes due
/// before the open batch would leave, its retry records leave at once as a batch of their own (the dispatch splits
/// first attempts and retries into separate calls anyway, so only other retries could have joined them, and every
/// retry due that soon has been taken already); retries read at or after their due time (a lagging tier, or
/// <c>RetryPrefetch</c> 0) wait as first attempts do.
/// Records kept back leave in offset order per partition (a due record waits behind an earlier one of its partition,
/// as it did behind a paused partition's head): a drain or revoke abandons what is kept back, and no record after an
/// abandoned one may have been delivered, or the commit would stop below a delivered record and redeliver it.
/// Cut batches take a slot and go to <paramref name="emit"/>. Consume loop only; the clock is the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class Batcher(BatchOptions options, TimeProvider time, Action<WorkBatch> emit, BatchSlots? slots = null)
{
    /// <summary>Longest the loop blocks in a poll while a due batch waits for a slot (a poll cannot be woken).</summary>
    public static readonly TimeSpan SlotRecheck = TimeSpan.FromMilliseconds(5);

    private readonly int _initialCapacity = Math.Min(options.MaxEvents, 1024);
    private readonly KeptBackRetries _early = new();
    private Action<PendingRecord, TimeSpan>? _releaseKeptBack;
    private List<PendingRecord> _buffer = new(Math.Min(options.MaxEvents, 1024));
    private long _bytes;
    private long _startedAt;
    private TimeSpan _budget;
    private int _firstAttempts;
    private int _knownRetries;
    private int _otherRetries;

    /// <summary>Most events of one batch (<c>Batch:MaxEvents</c>).</summary>
    public int MaxEvents => options.MaxEvents;

    /// <summary>Records waiting in the open batch.</summary>
    public int Count => _buffer.Count;

    /// <summary>Bytes of the open batch.</summary>
    public long Bytes => _bytes;

    /// <summary>Retry records taken before their due time, kept back until then.</summary>
    public int Early => _early.Count;

    /// <summary>
    /// True when a cut batch would be taken up by a worker at once. Only first-attempt records wait for a slot: the
    /// retry lane has slots of its own (LaneScheduler), so an open batch of retry records only is never held back.
    /// </summary>
    public bool SlotFree => _firstAttempts == 0 || (slots?.AnyFree ?? true);

    /// <summary>Adds a record, cutting before it (MaxBytes would be passed) and after it (a limit reached).</summary>
    public void Add(PendingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var waited = TimeSpan.Zero;
        if (record.NotBefore is { } due)
        {
            var now = time.GetUtcNow();
            if (due > now || _early.Holds(record.Partition))
            {
                _early.Add(record, due);
                return;
            }

            waited = now - due;
        }

        Append(record, waited, keptBack: false);
    }

    /// <summary>Moves the records kept back whose due time has come into the open batch (each partition's in offset order).</summary>
    public void ReleaseDue()
    {
        if (_early.Count > 0)
        {
            _early.ReleaseDue(time.GetUtcNow(), _releaseKeptBack ??= (record, waited) => Append(record, waited, keptBack: true));
        }
    }

    /// <summary>Time until the next record kept back is due (zero: one is); null when none is kept back.</summary>
    public TimeSpan? UntilNextDue() => _early.Count == 0 ? null : _early.UntilNextDue(time.GetUtcNow());

    private void Append(PendingRecord record, TimeSpan waited, bool keptBack)
    {
        var size = record.Event.SizeInBytes;
        if (_buffer.Count > 0 && _bytes + size > options.MaxBytes)
        {
            Cut();
        }

        // The open batch leaves by the earliest MaxWait of its records, each counted from when it became deliverable.
        var budget = options.MaxWait - waited;
        if (_buffer.Count == 0)
        {
            _startedAt = time.GetTimestamp();
            _budget = budget;
        }
        else if (waited > TimeSpan.Zero)
        {
            // Only a record that was deliverable before it joined can bring the deadline forward (no clock read otherwise).
            var own = time.GetElapsedTime(_startedAt) + budget;
            _budget = own < _budget ? own : _budget;
        }

        _buffer.Add(record);
        _bytes += size;
        if (!record.Partition.IsRetryTier)
        {
            _firstAttempts++;
        }
        else if (keptBack)
        {
            _knownRetries++;
        }
        else
        {
            _otherRetries++;
        }

        if (_buffer.Count >= options.MaxEvents || _bytes >= options.MaxBytes)
        {
            Cut();
        }
    }

    /// <summary>Time until the open batch has waited MaxWait (zero: it has); null when there is none.</summary>
    public TimeSpan? UntilDue()
    {
        if (_buffer.Count == 0)
        {
            return null;
        }

        var remaining = _budget - time.GetElapsedTime(_startedAt);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>
    /// Cuts the open batch if it waited MaxWait and a slot is free, and before that its retries kept back until due
    /// when no record kept back comes due before the batch would leave; true if it cut anything.
    /// </summary>
    public bool CutIfDue()
    {
        var retries = CutKnownRetries();
        if (!SlotFree || UntilDue() != TimeSpan.Zero)
        {
            return retries;
        }

        Cut();
        return true;
    }

    private bool CutKnownRetries()
    {
        if (_knownRetries == 0 || _otherRetries > 0 || UntilNextDue() is { } next && next <= UntilDue())
        {
            return false; // none, or one that nobody announced may still join, or one kept back will join before the cut
        }

        if (_firstAttempts == 0)
        {
            Cut();
            return true;
        }

        var retries = new List<PendingRecord>(_knownRetries);
        var rest = new List<PendingRecord>(_initialCapacity);
        long bytes = 0;
        foreach (var record in _buffer)
        {
            if (record.Partition.IsRetryTier)
            {
                retries.Add(record);
            }
            else
            {
                rest.Add(record);
                bytes += record.Event.SizeInBytes;
            }
        }

        // The first attempts keep the open batch's deadline, even one a retry that just left had set: they leave no
        // later than they would have.
        _buffer = rest;
        _bytes = bytes;
        _knownRetries = 0;
        emit(new WorkBatch(retries, time.GetTimestamp())); // the retry lane has slots of its own: none is taken
        return true;
    }

    /// <summary>
    /// The loop stopped polling at the in-flight limit, so no record can join the open batch until work completes:
    /// cut it if a slot is free (whatever its age); keep it while every slot is busy. True if it cut.
    /// </summary>
    public bool CutAtLimit()
    {
        var retries = CutKnownRetries();
        if (_buffer.Count == 0 || !SlotFree)
        {
            return retries;
        }

        Cut();
        return true;
    }

    /// <summary>
    /// How long the loop may block in one poll: <paramref name="idle"/> without an open batch; until MaxWait of the
    /// open one (at most <paramref name="idle"/>); <see cref="SlotRecheck"/> while a due batch waits for a slot.
    /// </summary>
    public TimeSpan PollTimeout(TimeSpan idle)
    {
        if (UntilNextDue() is { } next && next < idle)
        {
            idle = next; // a poll cannot be woken: it ends when the next record kept back is due
        }

        if (UntilDue() is not { } due)
        {
            return idle;
        }

        if (due <= TimeSpan.Zero)
        {
            return SlotFree ? TimeSpan.Zero : (SlotRecheck < idle ? SlotRecheck : idle);
        }

        return due < idle ? due : idle;
    }

    /// <summary>Cuts the open batch, if any, whatever the slots.</summary>
    public void Cut()
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        var batch = new WorkBatch(_buffer, time.GetTimestamp());
        _buffer = new List<PendingRecord>(_initialCapacity);
        _bytes = 0;
        if (_firstAttempts > 0)
        {
            slots?.Take();
        }

        _firstAttempts = 0;
        _knownRetries = 0;
        _otherRetries = 0;
        emit(batch);
    }

    /// <summary>Takes the waiting records that match out of the open batch and hands them to <paramref name="removed"/>.</summary>
    public void RemoveWhere(Func<PendingRecord, bool> predicate, Action<PendingRecord> removed)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(removed);
        _early.RemoveWhere(predicate, removed);

        if (_buffer.Count == 0)
        {
            return;
        }

        var keep = new List<PendingRecord>(_buffer.Capacity);
        long bytes = 0;
        var firstAttempts = 0;
        foreach (var record in _buffer)
        {
            if (predicate(record))
            {
                removed(record);
            }
            else
            {
                keep.Add(record);
                bytes += record.Event.SizeInBytes;
                firstAttempts += record.Partition.IsRetryTier ? 0 : 1;
            }
        }

        _buffer = keep;
        _bytes = bytes;
        _firstAttempts = firstAttempts;
        _knownRetries = 0; // which of the kept ones were kept back is not recorded: the rest wait as first attempts do
        _otherRetries = keep.Count - firstAttempts;
    }
}
