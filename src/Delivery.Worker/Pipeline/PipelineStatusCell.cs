namespace Delivery.Worker.Pipeline;

/// <summary>The lifecycle state and detail line of one pipeline: written by its stages, read by status readers.</summary>
internal sealed class PipelineStatusCell
{
    private volatile DestinationState _state = DestinationState.Starting;
    private volatile string? _detail;

    public DestinationState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>Why it is held or faulted (no secrets), else null.</summary>
    public string? Detail
    {
        get => _detail;
        set => _detail = value;
    }
}
