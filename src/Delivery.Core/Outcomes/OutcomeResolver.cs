using System.Net.Sockets;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Retry;

namespace Delivery.Core.Outcomes;

/// <summary>
/// Turns a handler's answer into one outcome per event (DESIGN.md §4). Pure: everything it depends on — the clock
/// reading and the random source for jitter — is passed in.
/// </summary>
public static class OutcomeResolver
{
    internal const string MissingResponseMessage = "The handler returned no response for this event.";

    /// <summary>Resolves a batch the handler answered with <paramref name="response"/>.</summary>
    public static BatchResolution Resolve(DeliveryBatch batch, MultiStatusResponse response, RetryPolicy policy, DateTimeOffset now, Random random)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(random);

        var outcomes = new EventOutcome[batch.Count];

        // Answers beyond the batch are ignored; each one is a contract violation (unset slots there are not answers).
        var violations = 0;
        for (var i = batch.Count; i < response.Length; i++)
        {
            if (response.GetResponseAtIndex(i) is not null)
            {
                violations++;
            }
        }

        for (var i = 0; i < outcomes.Length; i++)
        {
            switch (response.GetResponseAtIndex(i))
            {
                case ActionDestinationSuccessResponse:
                    outcomes[i] = EventOutcome.Delivered;
                    break;
                case ActionDestinationErrorResponse error:
                    outcomes[i] = ForError(batch[i], error.Status, error.ErrorType, error.ErrorMessage, error.Body?.ToJsonString(), error.RetryAfter, policy, now, random);
                    break;
                default:
                    violations++;
                    outcomes[i] = ForError(batch[i], 500, ErrorCodes.MissingResponse, MissingResponseMessage, null, null, policy, now, random);
                    break;
            }
        }

        return BatchResolution.PerEvent(outcomes, violations);
    }

    /// <summary>
    /// Resolves a batch whose handler threw <paramref name="exception"/>: a destination-level failure holds the batch;
    /// any other exception gives every event a retryable <see cref="ErrorCodes.HandlerException"/>.
    /// </summary>
    public static BatchResolution Resolve(DeliveryBatch batch, Exception exception, RetryPolicy policy, DateTimeOffset now, Random random)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(random);

        if (TryGetHold(exception, out var holdError, out var retryAfter))
        {
            return BatchResolution.Hold(holdError, retryAfter);
        }

        var message = $"{exception.GetType().Name}: {exception.Message}";
        var outcomes = new EventOutcome[batch.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = ForError(batch[i], 500, ErrorCodes.HandlerException, message, null, null, policy, now, random);
        }

        return BatchResolution.PerEvent(outcomes, 0);
    }

    /// <summary>
    /// True when <paramref name="exception"/> is a destination-level failure: <see cref="DestinationUnavailableException"/>,
    /// a connection failure or a timeout.
    /// </summary>
    public static bool TryGetHold(Exception exception, out DeliveryError error, out TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DestinationUnavailableException unavailable:
                    var status = unavailable.Status ?? 503;
                    error = new DeliveryError(status, ErrorCodes.FromHttpStatus(status), unavailable.Message);
                    retryAfter = unavailable.RetryAfter;
                    return true;
                case TimeoutException or TaskCanceledException:
                    error = new DeliveryError(504, ErrorCodes.GatewayTimeout, $"The destination did not answer in time ({e.Message})");
                    retryAfter = null;
                    return true;
                case HttpRequestException { StatusCode: null } or SocketException:
                    error = new DeliveryError(503, ErrorCodes.ServiceUnavailable, $"The destination could not be reached ({e.Message})");
                    retryAfter = null;
                    return true;
            }
        }

        error = null!;
        retryAfter = null;
        return false;
    }

    /// <summary>The outcome of one failed attempt of <paramref name="evt"/>.</summary>
    public static EventOutcome ForError(
        DeliveryEvent evt, int status, string errorType, string message, string? body, TimeSpan? retryAfter, RetryPolicy policy, DateTimeOffset now, Random random)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(random);
        var error = new DeliveryError(status, errorType, message, body);
        if (!policy.IsRetryable(status, errorType))
        {
            return new EventOutcome.DeadLetter(DeadLetterReason.NonRetryable, error);
        }

        if (evt.Attempt >= policy.MaxAttempts)
        {
            return new EventOutcome.DeadLetter(DeadLetterReason.RetriesExhausted, error);
        }

        // An event without a first-attempt time (default) is on its first attempt: its age is zero.
        var firstAttemptAt = evt.FirstAttemptAt == default ? now : evt.FirstAttemptAt;
        if (now - firstAttemptAt >= policy.MaxAge)
        {
            return new EventOutcome.DeadLetter(DeadLetterReason.MaxAgeExceeded, error);
        }

        // The destination asks us to come back only after the event's MaxAge: parking the record until then would
        // hold up its retry tier partition for nothing (issue 17), so it is dead-lettered now.
        if (policy.CapRetryAfter(retryAfter) is { } honoured && now + honoured - firstAttemptAt > policy.MaxAge)
        {
            return new EventOutcome.DeadLetter(DeadLetterReason.MaxAgeExceeded, error);
        }

        var dueAt = policy.DueAt(evt.Attempt, now, retryAfter, random.NextDouble());
        return new EventOutcome.Retry(dueAt, policy.TierFor(evt.Attempt, retryAfter), error);
    }
}
