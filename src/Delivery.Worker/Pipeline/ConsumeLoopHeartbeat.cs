namespace Delivery.Worker.Pipeline;

/// <summary>
/// The consume loop marks every turn here (<see cref="Beat"/>) and says whether it is deliberately waiting, so a
/// liveness check can tell a hung loop from a held, paused or draining one. Written by the consume loop only.
/// </summary>
internal sealed class ConsumeLoopHeartbeat(TimeProvider time)
{
    private long _lastBeat;
    private int _waiting;
    private int _running;

    /// <summary>The loop turned at <paramref name="timestamp"/> (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public void Beat(long timestamp) => Volatile.Write(ref _lastBeat, timestamp);

    /// <summary>Sets why the loop is waiting (<see cref="LoopWait.None"/>: consuming).</summary>
    public void SetWaiting(LoopWait waiting) => Volatile.Write(ref _waiting, (int)waiting);

    /// <summary>Why the loop is waiting.</summary>
    public LoopWait Waiting => (LoopWait)Volatile.Read(ref _waiting);

    /// <summary>The loop started (true) or ended (false).</summary>
    public void SetRunning(bool running) => Volatile.Write(ref _running, running ? 1 : 0);

    /// <summary>A snapshot for status readers.</summary>
    public ConsumeLoopBeat Snapshot()
    {
        var last = Volatile.Read(ref _lastBeat);
        return new ConsumeLoopBeat(last == 0 ? TimeSpan.Zero : time.GetElapsedTime(last), Waiting, Volatile.Read(ref _running) == 1);
    }
}
