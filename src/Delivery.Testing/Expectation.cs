namespace Delivery.Testing;

/// <summary>How a well-behaved handler ends a scenario's call.</summary>
internal enum Expectation
{
    /// <summary>An empty answer and no request.</summary>
    Empty,

    /// <summary>An answer per event (never thrown).</summary>
    Answer,

    /// <summary>An answer without a success, or <c>DestinationUnavailableException</c>.</summary>
    AnswerOrUnavailable,

    /// <summary><c>DestinationUnavailableException</c>.</summary>
    Unavailable,

    /// <summary><see cref="OperationCanceledException"/> soon after the kit cancels.</summary>
    Cancelled,

    /// <summary><see cref="OperationCanceledException"/> for a token cancelled before the call, and no request.</summary>
    CancelledBefore,
}
