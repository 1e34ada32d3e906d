namespace Delivery.Worker.Dlq;

/// <summary>What a redrive did.</summary>
/// <param name="Examined">Records read.</param>
/// <param name="Matched">Records that matched the filters.</param>
/// <param name="Redriven">Records produced to retry tier 1 (in a dry run: that would be).</param>
/// <param name="Refused">Matching records past <c>DeadLetter:MaxRedrives</c>, left alone (no --force).</param>
/// <param name="Unreadable">Records without readable delivery headers, left alone.</param>
/// <param name="Remaining">Records after the stored position still to examine (0 when the run reached the end).</param>
/// <param name="DryRun">True when nothing was produced or committed.</param>
/// <param name="Sample">The first matching records (a dry run shows what it would redrive).</param>
internal sealed record RedriveResult(long Examined, long Matched, long Redriven, long Refused, long Unreadable, long Remaining, bool DryRun, IReadOnlyList<DlqRecordView> Sample);
