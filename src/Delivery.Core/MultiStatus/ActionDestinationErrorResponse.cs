namespace Delivery.Core.MultiStatus;

/// <summary>The destination (or the handler) rejected the event. <see cref="ActionDestinationResponse.Status"/> must not be 2xx.</summary>
public sealed record ActionDestinationErrorResponse : ActionDestinationResponse
{
    private readonly string? _errorType;

    /// <summary>
    /// One of <see cref="ErrorCodes"/>. When not given (null or empty) it is inferred from the status with
    /// <see cref="ErrorCodes.FromHttpStatus"/>.
    /// </summary>
    public string ErrorType
    {
        get => string.IsNullOrEmpty(_errorType) ? ErrorCodes.FromHttpStatus(Status) : _errorType;
        init => _errorType = value;
    }

    /// <summary>A human-readable reason, recorded in retry and dead-letter headers.</summary>
    public required string ErrorMessage { get; init; }

    /// <summary>How long the destination asked to wait before this event is tried again (Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
