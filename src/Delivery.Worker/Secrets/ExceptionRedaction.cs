using Delivery.Core.MultiStatus;
using Delivery.Core.Secrets;

namespace Delivery.Worker.Secrets;

/// <summary>
/// Rebuilds an exception chain whose messages carry a secret, keeping what the pipeline decides on: the type of each
/// exception it recognises (<see cref="DestinationUnavailableException"/> with status and Retry-After,
/// <see cref="HttpRequestException"/> with status and error, timeouts, cancellations) and the chain's order. Any other
/// exception becomes a <see cref="RedactedException"/> naming the original type. Stack traces are not kept.
/// </summary>
internal static class ExceptionRedaction
{
    /// <summary>True when a message anywhere in the chain of <paramref name="exception"/> holds a secret.</summary>
    public static bool Leaks(Exception exception, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (redactor.Leaks(e.Message))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A copy of the chain of <paramref name="exception"/> with every message redacted.</summary>
    public static Exception Redact(Exception exception, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(redactor);
        var inner = exception.InnerException is { } e ? Redact(e, redactor) : null;
        var message = redactor.Redact(exception.Message);
        return exception switch
        {
            DestinationGoneException gone => new DestinationGoneException(message, redactor.Redact(gone.Endpoint), gone.RetryAfter),
            DestinationUnavailableException unavailable => new DestinationUnavailableException(message, unavailable.Status, unavailable.RetryAfter, inner),
            HttpRequestException http => new HttpRequestException(http.HttpRequestError, message, inner, http.StatusCode),
            TaskCanceledException => new TaskCanceledException(message, inner),
            OperationCanceledException canceled => new OperationCanceledException(message, inner, canceled.CancellationToken),
            TimeoutException => new TimeoutException(message, inner),
            _ => new RedactedException(exception.GetType().Name, message, inner),
        };
    }
}
