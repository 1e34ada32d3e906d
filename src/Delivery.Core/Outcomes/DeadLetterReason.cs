namespace Delivery.Core.Outcomes;

/// <summary>Why an event was dead-lettered (the <c>delivery-dlq-reason</c> header).</summary>
public enum DeadLetterReason
{
    /// <summary>The error is not retryable.</summary>
    NonRetryable,

    /// <summary>The event failed retryably MaxAttempts times.</summary>
    RetriesExhausted,

    /// <summary>
    /// The event was older than MaxAge when it failed again, or the destination's Retry-After (capped to
    /// MaxRetryAfter) would have taken it past MaxAge.
    /// </summary>
    MaxAgeExceeded,

    /// <summary>A retry record whose delivery headers could not be parsed.</summary>
    MalformedRetryRecord,
}
