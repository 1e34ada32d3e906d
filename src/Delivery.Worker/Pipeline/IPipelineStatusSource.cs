namespace Delivery.Worker.Pipeline;

/// <summary>Reports the state of every enabled destination pipeline (a singleton in DI).</summary>
internal interface IPipelineStatusSource
{
    /// <summary>One status per enabled destination.</summary>
    IReadOnlyList<DestinationStatus> Snapshot();
}
