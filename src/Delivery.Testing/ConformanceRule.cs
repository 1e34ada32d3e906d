namespace Delivery.Testing;

/// <summary>The rules of the handler contract that <see cref="DestinationConformance"/> checks.</summary>
public enum ConformanceRule
{
    /// <summary>The answer has exactly one slot per batch event and none is left unset.</summary>
    EverySlotAnswered,

    /// <summary>A slot is a success only when the API confirmed that event with a 2xx.</summary>
    SuccessOnlyFor2xx,

    /// <summary>The API's per-item verdicts land at the batch index of the event they name (API-relative indices mapped back).</summary>
    IndicesMappedBack,

    /// <summary>When the whole request is rejected with 400, 413 or 422, each event's error carries that status.</summary>
    ErrorStatusPassedOn,

    /// <summary>Events the handler rejects itself (pre-validation) are answered with an error and never sent.</summary>
    InvalidEventsNotSent,

    /// <summary>401, 403, 429, 5xx, a timeout or a dropped connection are thrown as <c>DestinationUnavailableException</c>.</summary>
    DestinationFailureThrown,

    /// <summary>Request- and event-level failures (400, 413, 422, per-item errors) are answered per event, not thrown.</summary>
    RequestFailureAnswered,

    /// <summary>A whole-request <c>Retry-After</c> (delta-seconds or HTTP-date) is passed on in <c>DestinationUnavailableException.RetryAfter</c>.</summary>
    RetryAfterPassedOn,

    /// <summary>Cancelling the token ends the call with <see cref="OperationCanceledException"/>, promptly.</summary>
    CancellationHonoured,

    /// <summary>Every call ends within the request timeout plus the grace period.</summary>
    CompletesInTime,

    /// <summary>An empty batch is answered with an empty response and sends nothing.</summary>
    NothingSentForEmptyBatch,

    /// <summary>The handler throws only <c>DestinationUnavailableException</c> or, when cancelled, <see cref="OperationCanceledException"/>.</summary>
    OnlyContractExceptions,
}
