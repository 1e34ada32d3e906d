namespace Delivery.Worker.Pipeline;

/// <summary>
/// Keeps a flood of due retries from filling the in-flight window that first attempts need too (the retry lane's
/// share of the window, as <see cref="Controls.LaneScheduler"/> keeps its share of the slots). When retry-tier records
/// in flight (read, kept back until due, queued or being delivered) reach <see cref="Limit"/>, half the window and at
/// least one batch, the tier partitions pause until those records are below half of it; the source partitions keep
/// flowing. A paused partition loses nothing: it resumes at the next record to consume. Pure; consume loop only.
/// </summary>
internal sealed class RetryLaneFlow(long window, int maxEvents)
{
    /// <summary>Retry-tier records in flight at which the tier partitions pause.</summary>
    public long Limit { get; } = Math.Max(Math.Max(1, maxEvents), window / 2);

    /// <summary>True while the tier partitions are paused for this reason.</summary>
    public bool Paused { get; private set; }

    /// <summary>Updates <see cref="Paused"/> for <paramref name="retryInFlight"/>; true when it changed.</summary>
    public bool Update(long retryInFlight)
    {
        if (!Paused && retryInFlight >= Limit)
        {
            Paused = true;
            return true;
        }

        if (Paused && retryInFlight < Limit / 2)
        {
            Paused = false;
            return true;
        }

        return false;
    }
}
