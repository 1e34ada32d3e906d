namespace Delivery.Worker.Pipeline;

/// <summary>The <see cref="TierHeadRule"/>'s decision on a not-yet-due head record.</summary>
/// <param name="Action">Wait (defer the partition) or requeue the record to the tail.</param>
/// <param name="WakeAt">When the deferred partition looks at its head again (<see cref="TierHeadAction.Wait"/> only).</param>
/// <param name="Tier">The record's tier (1-based), for the metric and the log.</param>
internal readonly record struct TierHeadDecision(TierHeadAction Action, DateTimeOffset WakeAt, int Tier);
