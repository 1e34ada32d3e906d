namespace Delivery.Core.MultiStatus;

/// <summary>
/// Thrown by a handler when the destination answered <c>410 Gone</c>: the endpoint asks not to be sent anything any
/// more (Standard Webhooks: "disable the endpoint and stop sending it messages"). It is a
/// <see cref="DestinationUnavailableException"/> (status 410), so the batch is held, never dead-lettered, and no attempt
/// is counted; a pipeline that knows this type shows the destination as gone (health, metric, log line) and holds
/// with a long back-off until an operator acts or the endpoint answers again.
/// </summary>
public sealed class DestinationGoneException : DestinationUnavailableException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened; must not contain secrets.</param>
    /// <param name="endpoint">The endpoint that answered 410, as scheme, host and port only (a path or query may carry secrets).</param>
    /// <param name="retryAfter">The endpoint's Retry-After, when it gave one.</param>
    public DestinationGoneException(string message, string endpoint, TimeSpan? retryAfter = null)
        : base(message, 410, retryAfter)
        => Endpoint = endpoint;

    /// <summary>Creates the exception with a message only.</summary>
    public DestinationGoneException()
        : this("The destination is gone (410).", string.Empty)
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public DestinationGoneException(string message)
        : this(message, string.Empty)
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    public DestinationGoneException(string message, Exception innerException)
        : base(message, 410, null, innerException)
        => Endpoint = string.Empty;

    /// <summary>The endpoint that answered 410: scheme, host and port (no path or query, which may carry secrets).</summary>
    public string Endpoint { get; }
}
