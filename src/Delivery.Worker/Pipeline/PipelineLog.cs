using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Pipeline;

/// <summary>Source-generated log messages of the delivery pipeline (EventIds 3000–3039).</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Destination {Destination}: pipeline started (group {ConsumerGroup}, topics {Topic})")]
    public static partial void Started(ILogger logger, string destination, string consumerGroup, string topic);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Destination {Destination}: pipeline stopped ({InFlightEvents} events left unresolved)")]
    public static partial void Stopped(ILogger logger, string destination, long inFlightEvents);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Destination {Destination}: partitions assigned {Partitions}")]
    public static partial void Assigned(ILogger logger, string destination, string partitions);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Destination {Destination}: partitions revoked {Partitions}, committed {Committed}")]
    public static partial void Revoked(ILogger logger, string destination, string partitions, string committed);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Destination {Destination}: partitions lost {Partitions}; nothing of them is committed")]
    public static partial void Lost(ILogger logger, string destination, string partitions);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Destination {Destination}: consume error {Topic}/{Partition}: {Reason}")]
    public static partial void ConsumeError(ILogger logger, string destination, string? topic, int? partition, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Destination {Destination}: holding a batch of {Count} events ({Status} {ErrorType}: {Reason}); retrying in {Delay}")]
    public static partial void Holding(ILogger logger, string destination, int count, int status, string errorType, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Destination {Destination}: destination answers again; consumption resumes")]
    public static partial void Recovered(ILogger logger, string destination);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Destination {Destination}: producing event {EventId} to {Topic} failed ({Reason}); retrying")]
    public static partial void ProduceFailed(ILogger logger, string destination, string eventId, string topic, string reason);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Destination {Destination}: offset commit failed: {Reason}")]
    public static partial void CommitFailed(ILogger logger, string destination, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Destination {Destination}: malformed retry record {Topic}/{Partition}@{Offset}: {Problem}; dead-lettering it")]
    public static partial void Malformed(ILogger logger, string destination, string topic, int partition, long offset, string problem);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Destination {Destination}: event {EventId} dead-lettered ({Reason}) from {Topic}/{Partition}@{Offset}")]
    public static partial void DeadLettered(ILogger logger, string destination, string eventId, Delivery.Core.Outcomes.DeadLetterReason reason, string topic, int partition, long offset);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Debug, Message = "Destination {Destination}: event {EventId} attempt {Attempt} re-enqueued on {Topic}, due {DueAt}")]
    public static partial void Retried(ILogger logger, string destination, string eventId, int attempt, string topic, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Destination {Destination}: backpressure {State} at {InFlightEvents} in-flight events")]
    public static partial void Backpressure(ILogger logger, string destination, string state, long inFlightEvents);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Destination {Destination}: shutdown drain timed out with {InFlightEvents} events unresolved (they will be redelivered)")]
    public static partial void DrainTimedOut(ILogger logger, string destination, long inFlightEvents);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Error, Message = "Destination {Destination}: pipeline faulted")]
    public static partial void Faulted(ILogger logger, Exception exception, string destination);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "Destination {Destination}: revoke gave up waiting for {Count} in-flight events")]
    public static partial void RevokeTimedOut(ILogger logger, string destination, int count);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Debug, Message = "Destination {Destination}: {Topic}/{Partition}@{Offset} not due yet; partition paused until {DueAt}")]
    public static partial void WaitingForDue(ILogger logger, string destination, string topic, int partition, long offset, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 3026, Level = LogLevel.Information, Message = "Destination {Destination}: retry tiers {State} with {InFlight} retry records in flight (limit {Limit}, half the in-flight window; resumed below half of it); first attempts keep flowing")]
    public static partial void RetryLanePressure(ILogger logger, string destination, string state, long inFlight, long limit);

    [LoggerMessage(EventId = 3025, Level = LogLevel.Debug, Message = "Destination {Destination}: event {EventId} (next attempt {Attempt}) due {DueAt}, beyond its tier's bound while records wait behind it: requeued unchanged to the tail of {Topic}")]
    public static partial void Requeued(ILogger logger, string destination, string eventId, int attempt, string topic, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Warning, Message = "Destination {Destination}: producer failed fatally ({Reason}); recreated")]
    public static partial void ProducerRecreated(ILogger logger, string destination, string reason);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Debug, Message = "Destination {Destination}: handler threw on a batch of {Count} events ({Reason}); bisecting")]
    public static partial void Bisecting(ILogger logger, string destination, int count, string reason);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Destination {Destination}: handler answered with {Count} missing or extra slots")]
    public static partial void ContractViolation(ILogger logger, string destination, int count);

    [LoggerMessage(EventId = 3022, Message = "Destination {Destination}: librdkafka {Facility}: {Reason}")]
    public static partial void Kafka(ILogger logger, LogLevel level, string destination, string facility, string reason);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Warning, Message = "Destination {Destination}: {Endpoint} answered 410 Gone; holding {Count} events and trying again in {Delay} until it answers or an operator acts")]
    public static partial void Gone(ILogger logger, string destination, string endpoint, int count, TimeSpan delay);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "Destination {Destination}: {Topic}/{Partition} resumed at {Offset} instead of {Expected}; seeking again")]
    public static partial void SeekLost(ILogger logger, string destination, string topic, int partition, long expected, long offset);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Destination {Destination}: skipped {Topic}/{Partition}@{Offset} (already tracked)")]
    public static partial void SkippedRewind(ILogger logger, string destination, string topic, int partition, long offset);
}
