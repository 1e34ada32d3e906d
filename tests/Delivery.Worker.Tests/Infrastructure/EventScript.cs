namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>Verdicts of one event by attempt: attempt n gets <c>Steps[n-1]</c>, later attempts get <see cref="Then"/>.</summary>
internal sealed record EventScript(IReadOnlyList<Verdict> Steps, Verdict Then)
{
    public static EventScript Succeed { get; } = new([], Verdict.Succeed);

    public static EventScript FailTimes(int times, int status = 503, TimeSpan? retryAfter = null)
        => new(Enumerable.Repeat(Verdict.Fail(status, retryAfter: retryAfter), times).ToArray(), Verdict.Succeed);

    public static EventScript FailAlways(int status) => new([], Verdict.Fail(status));

    public static EventScript ThrowAlways { get; } = new([], Verdict.Throw);

    public Verdict For(int attempt) => attempt >= 1 && attempt <= Steps.Count ? Steps[attempt - 1] : Then;
}
