namespace Delivery.Worker.Pipeline;

/// <summary>Why the consume loop is deliberately not consuming (for liveness checks: waiting is not hanging).</summary>
internal enum LoopWait
{
    /// <summary>Consuming.</summary>
    None,

    /// <summary>At MaxInFlightEvents: not polling, waiting for work to complete (soft backpressure).</summary>
    Backpressure,

    /// <summary>Every partition paused (sustained backpressure, commit stall or rebalance); still polling.</summary>
    Paused,

    /// <summary>The destination is down: held batches are retried, consumption is paused.</summary>
    Held,

    /// <summary>Shutting down: waiting for in-flight work.</summary>
    Draining,
}
