using Microsoft.Extensions.Logging;

namespace Delivery.Destinations;

/// <summary>Source-generated log messages of the destination handlers (EventIds 7100–7199).</summary>
internal static partial class DestinationsLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Destination {Destination} broke its response contract: {Violation}")]
    public static partial void ContractViolation(ILogger logger, string destination, string violation);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Destination {Destination} answered 413 for {Count} events; splitting the request in halves")]
    public static partial void SplittingTooLarge(ILogger logger, string destination, int count);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Destination {Destination} rejected event {EventId} alone as too large (413)")]
    public static partial void SingleEventTooLarge(ILogger logger, string destination, string eventId);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "Destination {Destination} rejected {Failed} events with 422; resending {Aborted} aborted events (round {Round})")]
    public static partial void ResendingAborted(ILogger logger, string destination, int failed, int aborted, int round);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Destination {Destination}: {Count} events still aborted after {Rounds} resend rounds; they are reported retryable")]
    public static partial void ResendRoundsExhausted(ILogger logger, string destination, int count, int rounds);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Warning, Message = "Destination {Destination}: the webhook endpoint {Endpoint} answered 410 Gone; it asks not to be sent anything; the batch is held (not dead-lettered)")]
    public static partial void EndpointGone(ILogger logger, string destination, string endpoint);
}
