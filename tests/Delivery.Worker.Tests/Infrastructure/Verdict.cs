namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>What the scripted destination answers for one event on one attempt.</summary>
internal abstract record Verdict
{
    public static Verdict Succeed { get; } = new SucceedVerdict();

    /// <summary>An ordinary exception: the handler throws for the whole batch containing this event.</summary>
    public static Verdict Throw { get; } = new ThrowVerdict();

    /// <summary>The destination as a whole is down: the handler throws DestinationUnavailableException.</summary>
    public static Verdict Unavailable(TimeSpan? retryAfter = null) => new UnavailableVerdict(retryAfter);

    public static Verdict Fail(int status, string? errorType = null, TimeSpan? retryAfter = null) => new FailVerdict(status, errorType, retryAfter);

    public sealed record SucceedVerdict : Verdict;

    public sealed record ThrowVerdict : Verdict;

    public sealed record UnavailableVerdict(TimeSpan? RetryAfter) : Verdict;

    public sealed record FailVerdict(int Status, string? ErrorType, TimeSpan? RetryAfter) : Verdict;
}
