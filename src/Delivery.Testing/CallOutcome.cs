using Delivery.Core.MultiStatus;

namespace Delivery.Testing;

/// <summary>How a handler call ended: an answer, an exception, or not at all within the limit.</summary>
/// <param name="Response">The answer, when it returned one.</param>
/// <param name="Exception">What it threw, when it threw.</param>
/// <param name="Completed">False when the call was still running at the deadline.</param>
/// <param name="Elapsed">From the call to its end (or to the deadline).</param>
/// <param name="AfterCancel">From cancelling the token to the call's end (cancellation scenario only).</param>
internal sealed record CallOutcome(MultiStatusResponse? Response, Exception? Exception, bool Completed, TimeSpan Elapsed, TimeSpan? AfterCancel = null)
{
    public string Describe() => !Completed ? "did not complete"
        : Exception is { } ex ? ex.GetType().Name
        : "answered";
}
