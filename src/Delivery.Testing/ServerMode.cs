namespace Delivery.Testing;

/// <summary>How the kit's server answers during a scenario.</summary>
internal enum ServerMode
{
    /// <summary>The user's <see cref="ConformanceOptions.Answer"/>, with the scenario's rejections.</summary>
    Answer,

    /// <summary>A fixed whole-request status with a problem+json body (and Retry-After when given).</summary>
    Status,

    /// <summary>The user's answer with every item rejected, its body replaced by text that is not the API's answer.</summary>
    Garbled,

    /// <summary>The user's answer with every item rejected, cut off halfway through the body (the connection is dropped).</summary>
    Truncated,

    /// <summary>No answer until the client gives up.</summary>
    Hang,

    /// <summary>No answer; the kit cancels the handler's token once the request has arrived.</summary>
    HoldForCancel,

    /// <summary>The connection is dropped without an answer.</summary>
    Reset,
}
