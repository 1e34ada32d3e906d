namespace Delivery.Worker.Pipeline;

/// <summary>The stages the consume loop drives (built and wired by <see cref="DestinationPipeline"/>).</summary>
internal sealed class PipelineStages
{
    public required PartitionRegistry Registry { get; init; }

    public required RecordDecoder Decoder { get; init; }

    public required DueTimeGate Gate { get; init; }

    /// <summary>The tier head rule and its requeue (a long wait never parks a tier partition; issue 17).</summary>
    public required TierHeadStage TierHead { get; init; }

    public required FlowController Flow { get; init; }

    public required Batcher Batcher { get; init; }

    public required CommitScheduler Commits { get; init; }

    public required RebalanceHandler Rebalance { get; init; }

    public required PipelineCommands Commands { get; init; }

    public required WorkTracker Work { get; init; }

    public required HeldBatches Held { get; init; }

    public required BatchQueue Batches { get; init; }

    public required LoopHeartbeat Heartbeat { get; init; }

    /// <summary>Per-key order (<c>Ordering: PerKey</c>); null for <c>Ordering: None</c>.</summary>
    public KeyOrderStage? Order { get; init; }
}
