using Delivery.Worker.Health;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The consume loop marks every turn here (<see cref="Beat"/>) and says whether it is deliberately waiting, so a
/// liveness check can tell a hung loop from a held, paused or draining one. Published through
/// <see cref="DestinationStatus.Loop"/>, and forwarded to the worker's consume-loop liveness
/// (<see cref="IConsumeLoopHeartbeat"/>, /healthz) when the host has one. Written by the consume loop only.
/// </summary>
internal sealed class LoopHeartbeat(TimeProvider time, Func<IConsumeLoopHeartbeat?>? register = null)
{
    private long _lastBeat;
    private int _waiting;
    private int _running;
    private IConsumeLoopHeartbeat? _liveness;

    /// <summary>The loop turned at <paramref name="timestamp"/> (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public void Beat(long timestamp)
    {
        Volatile.Write(ref _lastBeat, timestamp);
        _liveness?.Beat();
    }

    /// <summary>Sets why the loop is waiting (<see cref="LoopWait.None"/>: consuming). Called every turn; forwarded on change.</summary>
    public void SetWaiting(LoopWait waiting)
    {
        if (Interlocked.Exchange(ref _waiting, (int)waiting) != (int)waiting)
        {
            _liveness?.Waiting(waiting switch
            {
                LoopWait.Held => ConsumeLoopWait.Held,
                LoopWait.Paused => ConsumeLoopWait.Paused,
                LoopWait.Draining => ConsumeLoopWait.Draining,
                _ => ConsumeLoopWait.None, // the soft backpressure wait still turns every few milliseconds
            });
        }
    }

    /// <summary>Why the loop is waiting.</summary>
    public LoopWait Waiting => (LoopWait)Volatile.Read(ref _waiting);

    /// <summary>The loop started (registers with the liveness check) or ended (unregisters).</summary>
    public void SetRunning(bool running)
    {
        Volatile.Write(ref _running, running ? 1 : 0);
        if (running)
        {
            _liveness = register?.Invoke();
        }
        else
        {
            _liveness?.Dispose();
            _liveness = null;
        }
    }

    /// <summary>A snapshot for status readers.</summary>
    public ConsumeLoopBeat Snapshot()
    {
        var last = Volatile.Read(ref _lastBeat);
        return new ConsumeLoopBeat(last == 0 ? TimeSpan.Zero : time.GetElapsedTime(last), Waiting, Volatile.Read(ref _running) == 1);
    }
}
