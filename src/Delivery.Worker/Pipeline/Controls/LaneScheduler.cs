using System.Threading.Channels;

namespace Delivery.Worker.Pipeline.Controls;

/// <summary>
/// Splits the batch channel into two lanes, first attempts and retries, and hands batches to the dispatch workers so
/// that each lane keeps its share of the <c>slots</c> handler slots (<c>Batch:RetryShare</c>) while both have work; a
/// lane with nothing queued lends its slots to the other (no slot stays idle while work waits). With a single slot the
/// lanes take turns in the same proportion. A batch mixing both lanes is split, keeping each part's order. Thread-safe.
/// </summary>
internal sealed class LaneScheduler : IDisposable
{
    private readonly ChannelReader<WorkBatch> _source;
    private readonly Lock _gate = new();
    private readonly Queue<WorkBatch> _first = new();
    private readonly Queue<WorkBatch> _retry = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly int _slots;
    private readonly double _retryShare;
    private int _runningFirst;
    private int _runningRetry;
    private long _turnsFirst;
    private long _turnsRetry;
    private bool _completed;

    public LaneScheduler(ChannelReader<WorkBatch> source, int slots, double retryShare)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _slots = Math.Max(1, slots);
        _retryShare = Math.Clamp(retryShare, 0, 1);
        RetrySlots = ReservedRetrySlots(_slots, _retryShare);
        FirstSlots = _slots - RetrySlots;
    }

    /// <summary>Slots kept for retries while both lanes have work.</summary>
    public int RetrySlots { get; }

    /// <summary>Slots kept for first attempts while both lanes have work.</summary>
    public int FirstSlots { get; }

    /// <summary>Batches waiting in the lanes (approximate).</summary>
    public (int First, int Retry) Queued
    {
        get
        {
            lock (_gate)
            {
                return (_first.Count, _retry.Count);
            }
        }
    }

    /// <summary>
    /// The retry lane's reserved slots: <c>round(share × slots)</c>, at least 1 when the share is above 0 and at most
    /// slots − 1 when it is below 1 (so each lane with a share keeps a slot); 0 or all with one slot (turns decide).
    /// </summary>
    public static int ReservedRetrySlots(int slots, double retryShare)
    {
        if (slots <= 1 || retryShare <= 0)
        {
            return retryShare >= 1 ? slots : 0;
        }

        if (retryShare >= 1)
        {
            return slots;
        }

        return Math.Clamp((int)Math.Round(retryShare * slots, MidpointRounding.AwayFromZero), 1, slots - 1);
    }

    /// <summary>Moves batches from the channel into the lanes until it completes (its own task).</summary>
    public async Task PumpAsync()
    {
        try
        {
            while (await _source.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (_source.TryRead(out var batch))
                {
                    Add(batch);
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _completed = true;
            }

            _signal.Release();
        }
    }

    /// <summary>Queues a batch in its lane(s).</summary>
    public void Add(WorkBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var retries = 0;
        foreach (var record in batch.Records)
        {
            retries += record.Partition.IsRetryTier ? 1 : 0;
        }

        lock (_gate)
        {
            if (retries == 0)
            {
                _first.Enqueue(batch);
            }
            else if (retries == batch.Records.Count)
            {
                _retry.Enqueue(batch);
            }
            else
            {
                _first.Enqueue(batch with { Records = [.. batch.Records.Where(static r => !r.Partition.IsRetryTier)] });
                _retry.Enqueue(batch with { Records = [.. batch.Records.Where(static r => r.Partition.IsRetryTier)] });
            }
        }

        _signal.Release();
    }

    /// <summary>The next batch for a worker; null once the channel completed and both lanes are empty.</summary>
    public async ValueTask<LaneBatch?> TakeAsync()
    {
        while (true)
        {
            bool more;
            lock (_gate)
            {
                if (TryTake(out var taken))
                {
                    more = _first.Count + _retry.Count > 0;
                    if (more)
                    {
                        _signal.Release(); // another worker may take the next one
                    }

                    return taken;
                }

                more = !(_completed && _first.Count == 0 && _retry.Count == 0);
            }

            if (!more)
            {
                _signal.Release(); // let the other workers see the end too
                return null;
            }

            await _signal.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>A worker finished a batch of <paramref name="lane"/>.</summary>
    public void Done(DeliveryLane lane)
    {
        lock (_gate)
        {
            if (lane == DeliveryLane.First)
            {
                _runningFirst--;
            }
            else
            {
                _runningRetry--;
            }
        }

        _signal.Release();
    }

    /// <summary>The scheduling rule (caller holds the lock).</summary>
    private bool TryTake(out LaneBatch? taken)
    {
        taken = null;
        var firstWaiting = _first.Count > 0;
        var retryWaiting = _retry.Count > 0;
        if ((!firstWaiting && !retryWaiting) || _runningFirst + _runningRetry >= _slots)
        {
            return false;
        }

        DeliveryLane lane;
        if (firstWaiting && retryWaiting)
        {
            if (_slots == 1)
            {
                // Turns: the retry lane takes its share of the turns while both wait.
                var turns = _turnsFirst + _turnsRetry + 1;
                lane = _retryShare > 0 && _turnsRetry < _retryShare * turns ? DeliveryLane.Retry : DeliveryLane.First;
            }
            else
            {
                lane = _runningFirst < FirstSlots ? DeliveryLane.First : _runningRetry < RetrySlots ? DeliveryLane.Retry : DeliveryLane.First;
            }
        }
        else
        {
            lane = firstWaiting ? DeliveryLane.First : DeliveryLane.Retry; // the other lane is idle: borrow its slots
        }

        if (!(firstWaiting && retryWaiting))
        {
            (_turnsFirst, _turnsRetry) = (0, 0); // turns count only while both lanes wait
        }
        else if (lane == DeliveryLane.First)
        {
            _turnsFirst++;
        }
        else
        {
            _turnsRetry++;
        }

        if (lane == DeliveryLane.First)
        {
            _runningFirst++;
            taken = new LaneBatch(_first.Dequeue(), lane);
        }
        else
        {
            _runningRetry++;
            taken = new LaneBatch(_retry.Dequeue(), lane);
        }

        return true;
    }

    public void Dispose() => _signal.Dispose();
}
