namespace Delivery.Worker.Health;

/// <summary>
/// What one destination's consume loop tells liveness. Obtained from <see cref="ConsumeLoopLiveness.Register"/> when the
/// loop starts; every member is cheap (a timestamp store) and safe to call from the loop's thread on every turn.
/// </summary>
internal interface IConsumeLoopHeartbeat : IDisposable
{
    /// <summary>The loop turned: call once at the top of every iteration.</summary>
    void Beat();

    /// <summary>
    /// The loop starts (or stops, with <see cref="ConsumeLoopWait.None"/>) waiting on purpose. Leaving a wait counts as
    /// a turn, so the time spent waiting is never held against the loop.
    /// </summary>
    void Waiting(ConsumeLoopWait wait);
}
