using System.ComponentModel.DataAnnotations;

namespace Delivery.Core.Options;

/// <summary>
/// Adaptive concurrency of one destination (<c>Delivery:Destinations:{name}:Concurrency</c>): when the destination
/// answers 429 or 503 or sends a Retry-After (for the whole request or for an event), the number of handler calls
/// allowed at once halves (never below 1); it grows back by one per healthy interval up to <c>Batch:MaxConcurrent</c>.
/// </summary>
public sealed class ConcurrencyOptions
{
    /// <summary>Adapt the concurrent handler calls to the destination's overload signals. Default true.</summary>
    public bool Adaptive { get; set; } = true;

    /// <summary>How long calls must complete without an overload signal before the limit grows by one. Default 5 s (100 ms–1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan HealthyInterval { get; set; } = TimeSpan.FromSeconds(5);
}
