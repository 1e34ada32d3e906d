using Delivery.Core.Options;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Cuts consumed records into batches: a batch leaves when it reaches <c>MaxEvents</c> or <c>MaxBytes</c> (a record
/// that would push it past MaxBytes starts the next one), or when its first record has waited <c>MaxWait</c>.
/// Cut batches go to <paramref name="emit"/>. Consume loop only; the clock is the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class Batcher(BatchOptions options, TimeProvider time, Action<WorkBatch> emit)
{
    private List<PendingRecord> _buffer = [];
    private long _bytes;
    private long _startedAt;

    /// <summary>Records waiting in the open batch.</summary>
    public int Count => _buffer.Count;

    /// <summary>Bytes of the open batch.</summary>
    public long Bytes => _bytes;

    /// <summary>Adds a record, cutting before it (MaxBytes would be passed) and after it (a limit reached).</summary>
    public void Add(PendingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var size = record.Event.SizeInBytes;
        if (_buffer.Count > 0 && _bytes + size > options.MaxBytes)
        {
            Cut();
        }

        if (_buffer.Count == 0)
        {
            _startedAt = time.GetTimestamp();
        }

        _buffer.Add(record);
        _bytes += size;
        if (_buffer.Count >= options.MaxEvents || _bytes >= options.MaxBytes)
        {
            Cut();
        }
    }

    /// <summary>Time until the open batch must leave (zero: now); null when there is none.</summary>
    public TimeSpan? UntilDue()
    {
        if (_buffer.Count == 0)
        {
            return null;
        }

        var remaining = options.MaxWait - time.GetElapsedTime(_startedAt);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>Cuts the open batch if it waited MaxWait; true if it did.</summary>
    public bool CutIfDue()
    {
        if (UntilDue() != TimeSpan.Zero)
        {
            return false;
        }

        Cut();
        return true;
    }

    /// <summary>Cuts the open batch, if any.</summary>
    public void Cut()
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        var batch = new WorkBatch(_buffer, time.GetTimestamp());
        _buffer = [];
        _bytes = 0;
        emit(batch);
    }

    /// <summary>Takes the waiting records that match out of the open batch and hands them to <paramref name="removed"/>.</summary>
    public void RemoveWhere(Func<PendingRecord, bool> predicate, Action<PendingRecord> removed)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(removed);
        if (_buffer.Count == 0)
        {
            return;
        }

        var keep = new List<PendingRecord>(_buffer.Count);
        long bytes = 0;
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
            }
        }

        _buffer = keep;
        _bytes = bytes;
    }
}
