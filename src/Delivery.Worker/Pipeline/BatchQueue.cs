using System.Threading.Channels;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The bounded channel from the consume loop (its only writer) to the dispatch workers. Its capacity is more batches
/// than flow control lets be in flight, so it is not expected to fill; if it does, the consume loop keeps the batch
/// in an overflow queue and hands it over on a later turn — it never blocks and never drops a record.
/// </summary>
internal sealed class BatchQueue(int capacity, WorkTracker work)
{
    private readonly Channel<WorkBatch> _channel = Channel.CreateBounded<WorkBatch>(new BoundedChannelOptions(Math.Max(1, capacity))
    {
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Queue<WorkBatch> _overflow = new();
    private bool _completed;

    /// <summary>The workers' end.</summary>
    public ChannelReader<WorkBatch> Reader => _channel.Reader;

    /// <summary>Batches waiting for a worker (any thread, approximate).</summary>
    public int Queued => _channel.Reader.Count;

    /// <summary>Hands a batch to the workers; after <see cref="Complete"/> its records are abandoned (consume loop only).</summary>
    public void Enqueue(WorkBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_completed)
        {
            Abandon(batch);
            return;
        }

        if (_overflow.Count > 0 || !_channel.Writer.TryWrite(batch))
        {
            _overflow.Enqueue(batch);
            Flush();
        }
    }

    /// <summary>Moves overflowed batches into the channel while it has room (consume loop only).</summary>
    public void Flush()
    {
        while (_overflow.TryPeek(out var batch) && _channel.Writer.TryWrite(batch))
        {
            _overflow.Dequeue();
        }
    }

    /// <summary>No more batches: the workers end once the channel is empty; overflowed ones are abandoned (consume loop only).</summary>
    public void Complete()
    {
        _completed = true;
        while (_overflow.TryDequeue(out var batch))
        {
            Abandon(batch);
        }

        _channel.Writer.TryComplete();
    }

    private void Abandon(WorkBatch batch)
    {
        foreach (var record in batch.Records)
        {
            work.Abandon(record);
        }
    }
}
