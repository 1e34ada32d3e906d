namespace Delivery.Core.Outcomes;

/// <summary>
/// The resolution of one batch: either one outcome per event, or — for a destination-level failure — a hold of
/// the whole batch (retried in place, no attempt counted, nothing written to retry or dead-letter topics).
/// </summary>
public sealed class BatchResolution
{
    private BatchResolution(EventOutcome[]? outcomes, DeliveryError? holdError, TimeSpan? holdRetryAfter, int contractViolations)
    {
        Outcomes = outcomes ?? [];
        HoldError = holdError;
        HoldRetryAfter = holdRetryAfter;
        ContractViolations = contractViolations;
    }

    /// <summary>True when the whole batch is held.</summary>
    public bool IsHold => HoldError is not null;

    /// <summary>One outcome per event, in batch order; empty when held.</summary>
    public IReadOnlyList<EventOutcome> Outcomes { get; }

    /// <summary>Why the batch is held.</summary>
    public DeliveryError? HoldError { get; }

    /// <summary>The destination's Retry-After for the hold, when it gave one.</summary>
    public TimeSpan? HoldRetryAfter { get; }

    /// <summary>Slots the handler left out or added beyond the batch.</summary>
    public int ContractViolations { get; }

    /// <summary>Per-event outcomes.</summary>
    public static BatchResolution PerEvent(EventOutcome[] outcomes, int contractViolations)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return new BatchResolution(outcomes, null, null, contractViolations);
    }

    /// <summary>A hold of the whole batch.</summary>
    public static BatchResolution Hold(DeliveryError error, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new BatchResolution(null, error, retryAfter, 0);
    }
}
