namespace Delivery.Worker.Pipeline;

/// <summary>What to do with a retry-tier record at the head of its partition that is not yet due.</summary>
internal enum TierHeadAction
{
    /// <summary>Defer the partition until <see cref="TierHeadDecision.WakeAt"/> (its due time, or earlier to look again).</summary>
    Wait,

    /// <summary>
    /// It is due later than the tier's bound after it entered, it held the partition for that bound, and records are
    /// behind it: produce it unchanged to the tail of the same tier topic and complete its offset once the broker
    /// acknowledged the copy.
    /// </summary>
    Requeue,
}
