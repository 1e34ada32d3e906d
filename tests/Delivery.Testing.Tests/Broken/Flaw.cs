namespace Delivery.Testing.Tests.Broken;

/// <summary>One deliberate contract break of <see cref="FlawedHandler"/>, each aimed at one rule.</summary>
internal enum Flaw
{
    None,
    LeavesLastSlotUnset,
    SuccessOnWholeRequestError,
    ApiIndicesNotMappedBack,
    WrongStatusOnWholeRequestError,
    SendsInvalidEvents,
    AnswersServerErrorPerEvent,
    ThrowsUnavailableOnBadRequest,
    DropsRetryAfter,
    IgnoresCancellation,
    IgnoresTimeout,
    PostsEmptyBatch,
    LetsParseErrorEscape,
}
