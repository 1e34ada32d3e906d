namespace Delivery.Worker.Pipeline;

/// <summary>
/// Wakes the consume loop when something it waits for may have changed (a record released, a command posted). The
/// loop is its only waiter; a wait is bounded by a timer of the <see cref="TimeProvider"/>, never by the wall clock.
/// A waiter registers before it checks its condition and a pulse is sent after the state changed, so no wake-up is
/// lost; a spurious one only makes the caller look again.
/// </summary>
internal sealed class LoopWakeup(TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private int _waiting;

    /// <summary>True while the loop waits (or is about to).</summary>
    public bool HasWaiter => Volatile.Read(ref _waiting) > 0;

    /// <summary>Wakes the waiter, if there is one.</summary>
    public void Pulse()
    {
        if (Volatile.Read(ref _waiting) > 0)
        {
            Release(_signal);
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

            using var timer = time.CreateTimer(static s => Release((SemaphoreSlim)s!), _signal, timeout, Timeout.InfiniteTimeSpan);
            _signal.Wait(cancellationToken);
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

    private static void Release(SemaphoreSlim signal)
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is pending already.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
