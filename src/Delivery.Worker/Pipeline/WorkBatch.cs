namespace Delivery.Worker.Pipeline;

/// <summary>A batch cut by the consume loop and queued for a worker.</summary>
/// <param name="Records">The records, in consumption order.</param>
/// <param name="CutAt">Timestamp (TimeProvider) at which it was cut.</param>
internal sealed record WorkBatch(IReadOnlyList<PendingRecord> Records, long CutAt);
