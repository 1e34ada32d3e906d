using System.Collections.Concurrent;

namespace Delivery.Worker.Health;

/// <summary>
/// Liveness from the consume loops themselves: each loop registers a heartbeat and beats on every turn; a loop that has
/// not turned for longer than <see cref="HealthOptions.LoopStallTimeout"/> while it is not deliberately waiting
/// (<see cref="ConsumeLoopWait"/>) is stalled, and <c>/healthz</c> answers 503. Readiness does not look at it.
/// Pure apart from the clock (<see cref="TimeProvider"/>).
/// </summary>
internal sealed class ConsumeLoopLiveness
{
    private readonly ConcurrentDictionary<ConsumeLoopHeartbeat, byte> _loops = new();
    private readonly TimeProvider _time;

    public ConsumeLoopLiveness(TimeProvider time, TimeSpan stallTimeout)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stallTimeout, TimeSpan.Zero);
        _time = time;
        StallTimeout = stallTimeout;
    }

    /// <summary>How long a loop may go without turning.</summary>
    public TimeSpan StallTimeout { get; }

    /// <summary>Starts tracking the consume loop of <paramref name="destination"/>; dispose the heartbeat when the loop ends.</summary>
    public IConsumeLoopHeartbeat Register(string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var heartbeat = new ConsumeLoopHeartbeat(destination, _time, h => _loops.TryRemove(h, out _));
        _loops[heartbeat] = 0;
        return heartbeat;
    }

    /// <summary>The stalled loops, by destination name (empty when every loop is alive or deliberately waiting).</summary>
    public IReadOnlyList<LoopStall> Stalled()
    {
        var stalled = new List<LoopStall>();
        foreach (var loop in _loops.Keys)
        {
            var since = loop.SinceLastTurn;
            if (loop.Wait == ConsumeLoopWait.None && since > StallTimeout)
            {
                stalled.Add(new LoopStall(loop.Destination, since));
            }
        }

        return [.. stalled.OrderBy(static s => s.Destination, StringComparer.Ordinal)];
    }
}
