namespace Delivery.Worker.Kafka;

/// <summary>Names of the headers written on retry and dead-letter records (DESIGN.md §5).</summary>
internal static class DeliveryHeaders
{
    public const string Prefix = "delivery-";
    public const string EventId = "delivery-event-id";
    public const string Attempt = "delivery-attempt";
    public const string NotBefore = "delivery-not-before";
    public const string FirstAttemptAt = "delivery-first-attempt-at";
    public const string OriginalTopic = "delivery-original-topic";
    public const string OriginalPartition = "delivery-original-partition";
    public const string OriginalOffset = "delivery-original-offset";
    public const string OriginalTimestamp = "delivery-original-timestamp";
    public const string Destination = "delivery-destination";
    public const string ConsumerGroup = "delivery-consumer-group";
    public const string ErrorStatus = "delivery-error-status";
    public const string ErrorType = "delivery-error-type";
    public const string ErrorMessage = "delivery-error-message";
    public const string ErrorBody = "delivery-error-body";
    public const string DlqReason = "delivery-dlq-reason";
    public const string DlqAt = "delivery-dlq-at";
    public const string RedriveCount = "delivery-redrive-count";
}
