namespace Delivery.Worker.Pipeline;

/// <summary>Lifecycle state of one destination pipeline.</summary>
internal enum DestinationState
{
    /// <summary>Starting: consumer not yet subscribed.</summary>
    Starting,

    /// <summary>Consuming and delivering.</summary>
    Running,

    /// <summary>The destination is down; consumption is paused and the batch retried in place (still ready).</summary>
    Held,

    /// <summary>Stopped on request (shutdown).</summary>
    Stopped,

    /// <summary>Failed fatally (e.g. a fatal Kafka error); not ready.</summary>
    Faulted,
}
