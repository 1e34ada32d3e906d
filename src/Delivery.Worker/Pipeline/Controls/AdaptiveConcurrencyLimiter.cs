namespace Delivery.Worker.Pipeline.Controls;

/// <summary>
/// The number of handler calls of one destination allowed at once (AIMD): an overloaded answer halves the limit (not
/// below 1), once per epoch, so a burst of 429s from calls that were already in flight counts as one signal; a healthy
/// answer after <c>healthyInterval</c> without a change grows it by one, up to <c>max</c>, but only from a call made
/// while the limit was in use (every slot taken or calls waiting): a limit that light load never reaches has not been
/// shown to be safe, and growing it anyway would let the next burst meet the destination at the old, rejected level.
/// Waiting calls are served oldest first. Thread-safe; the clock is the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class AdaptiveConcurrencyLimiter
{
    private readonly int _max;
    private readonly TimeSpan _healthyInterval;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource<ConcurrencySlot>> _waiters = new();
    private int _limit;
    private int _inFlight;
    private long _epoch;
    private long _lastChange;

    public AdaptiveConcurrencyLimiter(int max, TimeSpan healthyInterval, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentNullException.ThrowIfNull(time);
        _max = max;
        _limit = max;
        _healthyInterval = healthyInterval;
        _time = time;
        _lastChange = time.GetTimestamp();
    }

    /// <summary>The current limit (1..max).</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>Calls holding a slot.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Calls waiting for a slot.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Takes a slot, waiting (oldest first) while the limit is reached; cancellation only ends the wait.</summary>
    public ValueTask<ConcurrencySlot> AcquireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<ConcurrencySlot> waiter;
        LinkedListNode<TaskCompletionSource<ConcurrencySlot>> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _inFlight < _limit)
            {
                _inFlight++;
                return ValueTask.FromResult(new ConcurrencySlot(_epoch));
            }

            waiter = new TaskCompletionSource<ConcurrencySlot>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => Cancel(node, cancellationToken));
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new ValueTask<ConcurrencySlot>(waiter.Task);
    }

    /// <summary>Gives a slot back with what its call said about the destination; may change the limit.</summary>
    public void Release(ConcurrencySlot slot, CallSignal signal)
    {
        List<TaskCompletionSource<ConcurrencySlot>>? granted = null;
        ConcurrencySlot next;
        lock (_gate)
        {
            var saturated = _inFlight >= _limit || _waiters.Count > 0;
            _inFlight--;
            if (signal == CallSignal.Overloaded && slot.Epoch == _epoch)
            {
                Volatile.Write(ref _limit, Math.Max(1, _limit / 2));
                _epoch++;
                _lastChange = _time.GetTimestamp();
            }
            else if (signal == CallSignal.Healthy && saturated && _limit < _max && _time.GetElapsedTime(_lastChange) >= _healthyInterval)
            {
                Volatile.Write(ref _limit, _limit + 1);
                _lastChange = _time.GetTimestamp();
            }

            next = new ConcurrencySlot(_epoch);
            while (_inFlight < _limit && _waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                _inFlight++;
                (granted ??= []).Add(first.Value);
            }
        }

        if (granted is not null)
        {
            foreach (var waiter in granted)
            {
                waiter.TrySetResult(next);
            }
        }
    }

    private void Cancel(LinkedListNode<TaskCompletionSource<ConcurrencySlot>> node, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (node.List is null)
            {
                return; // granted meanwhile: the caller owns the slot
            }

            _waiters.Remove(node);
        }

        node.Value.TrySetCanceled(cancellationToken);
    }
}
