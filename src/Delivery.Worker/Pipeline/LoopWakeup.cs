namespace Delivery.Worker.Pipeline;

/// <summary>
/// Wakes the consume loop when something it waits for may have changed (a record released, a command posted). The
/// loop is its only waiter; a wait is bounded by a timer of the <see cref="TimeProvider"/>, never by the wall clock.
/// A waiter registers before it checks its condition and a pulse is sent after the state changed, so no wake-up is
/// lost; a spurious one only makes the caller look again. At most one wake-up is pending (<c>_pending</c>): a pulse
/// while one is pending costs an interlocked read, not a <see cref="SemaphoreFullException"/> (thrown and caught per
/// record released before, which showed in the allocation profile of the HTTP benchmark).
/// </summary>
internal sealed class LoopWakeup(TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private int _waiting;
    private int _pending;

    /// <summary>True while the loop waits (or is about to).</summary>
    public bool HasWaiter => Volatile.Read(ref _waiting) > 0;

    /// <summary>Wakes the waiter, if there is one.</summary>
    public void Pulse()
    {
        if (Volatile.Read(ref _waiting) > 0)
        {
            Release();
        }
    }

    /// <summary>
    /// Blocks until a pulse, <paramref name="timeout"/> on the clock, or <paramref name="cancellationToken"/>, unless
    /// <paramref name="blocked"/> is already false once the waiter is registered.
    /// </summary>
    public void Wait(TimeSpan timeout, Func<bool> blocked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blocked);
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }

        Interlocked.Increment(ref _waiting);
        try
        {
            if (!blocked() || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            using var timer = time.CreateTimer(static s => ((LoopWakeup)s!).Release(), this, timeout, Timeout.InfiniteTimeSpan);
            _signal.Wait(cancellationToken);

            // The wake-up is consumed: the next pulse signals again. A pulse between the wait's end and here is not
            // lost, because the caller looks at its state after this returns.
            Volatile.Write(ref _pending, 0);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the caller looks at its state again.
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Dispose() => _signal.Dispose();

    private void Release()
    {
        if (Interlocked.Exchange(ref _pending, 1) != 0)
        {
            return; // a wake-up is pending already
        }

        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Only if the flag and the count disagree (a wait cancelled after the release): one wake-up is pending.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
