namespace Delivery.Worker.Health;

/// <summary>One destination's heartbeat: the timestamp of the last turn and the current deliberate wait.</summary>
internal sealed class ConsumeLoopHeartbeat : IConsumeLoopHeartbeat
{
    private readonly TimeProvider _time;
    private readonly Action<ConsumeLoopHeartbeat> _unregister;
    private long _lastTurn;
    private int _wait;

    public ConsumeLoopHeartbeat(string destination, TimeProvider time, Action<ConsumeLoopHeartbeat> unregister)
    {
        Destination = destination;
        _time = time;
        _unregister = unregister;
        _lastTurn = time.GetTimestamp();
    }

    /// <summary>The destination whose loop this is.</summary>
    public string Destination { get; }

    /// <summary>The deliberate wait, if any.</summary>
    public ConsumeLoopWait Wait => (ConsumeLoopWait)Volatile.Read(ref _wait);

    /// <summary>Time since the last turn (or since the last wait ended).</summary>
    public TimeSpan SinceLastTurn => _time.GetElapsedTime(Interlocked.Read(ref _lastTurn));

    /// <inheritdoc />
    public void Beat() => Interlocked.Exchange(ref _lastTurn, _time.GetTimestamp());

    /// <inheritdoc />
    public void Waiting(ConsumeLoopWait wait)
    {
        if (wait == ConsumeLoopWait.None)
        {
            Beat(); // the wait is over: its length is not held against the loop
        }

        Volatile.Write(ref _wait, (int)wait);
    }

    /// <inheritdoc />
    public void Dispose() => _unregister(this);
}
