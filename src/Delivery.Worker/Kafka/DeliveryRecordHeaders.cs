using Delivery.Core.Events;
using Delivery.Core.Outcomes;

namespace Delivery.Worker.Kafka;

/// <summary>
/// The <c>delivery-*</c> headers of a retry or dead-letter record (DESIGN.md §5), decoded. Encoded and decoded only by
/// <see cref="DeliveryHeaderCodec"/>.
/// </summary>
internal sealed record DeliveryRecordHeaders
{
    /// <summary><c>delivery-event-id</c>: the stable event id.</summary>
    public required string EventId { get; init; }

    /// <summary><c>delivery-attempt</c>: attempts made so far (1 after the first failure).</summary>
    public required int Attempt { get; init; }

    /// <summary><c>delivery-not-before</c>: the record must not be delivered before this instant (retry records).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary><c>delivery-first-attempt-at</c>.</summary>
    public required DateTimeOffset FirstAttemptAt { get; init; }

    /// <summary><c>delivery-original-topic/-partition/-offset/-timestamp</c>: where the event was first seen.</summary>
    public required EventOrigin Origin { get; init; }

    /// <summary><c>delivery-destination</c>: the destination that failed it.</summary>
    public string? Destination { get; init; }

    /// <summary><c>delivery-consumer-group</c>: the consumer group that failed it.</summary>
    public string? ConsumerGroup { get; init; }

    /// <summary><c>delivery-error-*</c>: the last error.</summary>
    public DeliveryError? Error { get; init; }

    /// <summary><c>delivery-dlq-reason</c> (dead-letter records only).</summary>
    public DeadLetterReason? DeadLetterReason { get; init; }

    /// <summary><c>delivery-dlq-at</c> (dead-letter records only).</summary>
    public DateTimeOffset? DeadLetteredAt { get; init; }

    /// <summary><c>delivery-redrive-count</c>: times the event was redriven from the DLQ (0 when absent).</summary>
    public int RedriveCount { get; init; }
}
