namespace Delivery.Worker.Pipeline;

/// <summary>What the consume loop does next.</summary>
internal enum FlowAction
{
    /// <summary>Poll the consumer.</summary>
    Poll,

    /// <summary>At the in-flight limit: do not poll (the partitions keep fetching), wait for work to complete.</summary>
    Wait,

    /// <summary>Pause every partition (they are polled still, which returns nothing but serves rebalance callbacks).</summary>
    PauseAll,
}
