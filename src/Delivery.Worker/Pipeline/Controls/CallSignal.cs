namespace Delivery.Worker.Pipeline.Controls;

/// <summary>What one handler call says about the destination's load (for <see cref="AdaptiveConcurrencyLimiter"/>).</summary>
internal enum CallSignal
{
    /// <summary>Nothing either way (a timeout, an open circuit, a connection failure, an ordinary exception).</summary>
    Neutral,

    /// <summary>An answer without an overload signal.</summary>
    Healthy,

    /// <summary>429 or 503, or a Retry-After, for the whole request or for any event.</summary>
    Overloaded,
}
