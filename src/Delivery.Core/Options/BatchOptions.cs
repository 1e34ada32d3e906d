using System.ComponentModel.DataAnnotations;

namespace Delivery.Core.Options;

/// <summary>How batches are cut and how many are in flight (<c>Delivery:Destinations:{name}:Batch</c>).</summary>
public sealed class BatchOptions
{
    /// <summary>Most events in one batch. Default 500.</summary>
    [Range(1, 100_000)]
    public int MaxEvents { get; set; } = 500;

    /// <summary>Most key+value bytes in one batch (a single larger event still forms a batch alone). Default 1 MiB.</summary>
    [Range(1, 256 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest a partial batch waits for more events. Default 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Most batches handed to the handler at once. Default 4.</summary>
    [Range(1, 256)]
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>
    /// Consumed but unresolved events above which consumption pauses (resumes below half). Default 0: automatic,
    /// <see cref="EffectiveMaxInFlightEvents"/> = 4 × <see cref="MaxConcurrent"/> × <see cref="MaxEvents"/> (8,000 with
    /// the defaults): a batch in every slot, the next one ready for it, and room to refill while they run. A larger
    /// window only keeps more records alive (memory, GC promotion, what a crash redelivers).
    /// </summary>
    [Range(0, 10_000_000)]
    public int MaxInFlightEvents { get; set; }

    /// <summary>The in-flight limit in force: <see cref="MaxInFlightEvents"/>, or 4 × MaxConcurrent × MaxEvents when it is 0.</summary>
    public int EffectiveMaxInFlightEvents => MaxInFlightEvents > 0
        ? MaxInFlightEvents
        : (int)Math.Min(10_000_000L, 4L * Math.Max(1, MaxConcurrent) * Math.Max(1, MaxEvents));

    /// <summary>
    /// Share of the <see cref="MaxConcurrent"/> handler slots kept for retry-tier records (the retry lane); the rest is
    /// kept for first attempts. A lane with nothing queued lends its slots to the other, so the share only matters when
    /// both have work: a flood of due retries cannot starve first attempts, nor a fast source the retries. 0 lets
    /// retries use only idle slots, 1 first attempts. Default 0.25 (0–1).
    /// </summary>
    [Range(0.0, 1.0)]
    public double RetryShare { get; set; } = 0.25;
}
