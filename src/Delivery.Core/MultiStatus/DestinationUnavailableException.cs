namespace Delivery.Core.MultiStatus;

/// <summary>
/// Thrown by a handler when the destination as a whole cannot take the batch (outage, auth failure, missing
/// endpoint, whole-request throttling). The pipeline holds the batch and backs off; no attempt is counted.
/// </summary>
/// <remarks>
/// Not sealed: <see cref="DestinationGoneException"/> is the one refinement (the destination asked to stop sending),
/// which every hold path treats as unavailable.
/// </remarks>
public class DestinationUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened; must not contain secrets.</param>
    /// <param name="status">The whole-request HTTP status, when there was one.</param>
    /// <param name="retryAfter">The destination's Retry-After, when it gave one.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DestinationUnavailableException(string message, int? status = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public DestinationUnavailableException()
        : this("The destination is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public DestinationUnavailableException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    public DestinationUnavailableException(string message, Exception innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>The whole-request HTTP status, when there was one.</summary>
    public int? Status { get; }

    /// <summary>The destination's Retry-After, when it gave one.</summary>
    public TimeSpan? RetryAfter { get; }
}
