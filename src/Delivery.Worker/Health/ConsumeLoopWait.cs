namespace Delivery.Worker.Health;

/// <summary>Why a consume loop may deliberately not turn for a while; liveness does not count that time.</summary>
internal enum ConsumeLoopWait
{
    /// <summary>Not waiting: the loop is expected to turn.</summary>
    None,

    /// <summary>The destination is held (destination-level failure, backing off).</summary>
    Held,

    /// <summary>Consumption is paused (back-pressure, all partitions paused).</summary>
    Paused,

    /// <summary>Shutting down: draining in-flight work.</summary>
    Draining,
}
