namespace Delivery.Worker.Dlq;

/// <summary>What <c>dlq redrive</c> was asked to do.</summary>
/// <param name="Filter">Which records.</param>
/// <param name="DryRun">Report only: produce nothing, move no position.</param>
/// <param name="Force">Redrive records past <c>DeadLetter:MaxRedrives</c> too.</param>
/// <param name="FromBeginning">Ignore the stored position and scan the whole topic.</param>
/// <param name="Limit">Stop after this many records were redriven (the position stays at the next record).</param>
internal sealed record RedriveRequest(DlqFilter Filter, bool DryRun, bool Force, bool FromBeginning, long? Limit);
