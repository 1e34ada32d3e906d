namespace Delivery.Worker.Pipeline;

/// <summary>A request to the consume loop from another thread (a timer, StopAsync); applied on the loop's thread.</summary>
internal abstract record PipelineCommand
{
    /// <summary>The due time of a deferred retry record passed: the partition may resume once its seek took effect.</summary>
    public sealed record DuePassed(PartitionState Partition, int Generation) : PipelineCommand;

    /// <summary>Stop consuming and drain.</summary>
    public sealed record Stop : PipelineCommand;
}
