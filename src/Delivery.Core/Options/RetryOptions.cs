using System.ComponentModel.DataAnnotations;
using Delivery.Core.MultiStatus;

namespace Delivery.Core.Options;

/// <summary>Retry schedule and classification (<c>Delivery:Destinations:{name}:Retry</c>).</summary>
public sealed class RetryOptions
{
    /// <summary>Default tier delays: 5 s, 30 s, 2 min, 10 min, 30 min (the last repeats).</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultDelays =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)];

    /// <summary>Default retryable statuses (Segment's set; 501 is not retryable).</summary>
    public static readonly IReadOnlyList<int> DefaultRetryableStatusCodes =
        [408, 423, 429, 500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 598, 599];

    /// <summary>Default retryable error types.</summary>
    public static readonly IReadOnlyList<string> DefaultRetryableErrorTypes =
        [ErrorCodes.RetryableError, ErrorCodes.SelfTimeout, ErrorCodes.MissingResponse, ErrorCodes.HandlerException, ErrorCodes.MalformedResponse];

    /// <summary>Attempts (first delivery included) before a retryable event is dead-lettered. Default 10.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Age (since the first attempt) after which a retryable event is dead-lettered. Default 4 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// Longest per-event <c>Retry-After</c> honoured (a destination's answer for one event); a longer one is capped to
    /// it, so one event cannot park its retry tier partition for a day. Whole-request holds are bounded by
    /// <c>Delivery:Pipeline:HoldMaxBackoff</c> instead. Default 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Relative jitter applied to each tier delay (0.2 = ±20%). Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>Tier delays; one retry topic per distinct delay. Null means <see cref="DefaultDelays"/>.</summary>
    public IList<TimeSpan>? Delays { get; set; }

    /// <summary>Statuses that are retried. Null means <see cref="DefaultRetryableStatusCodes"/>.</summary>
    public IList<int>? RetryableStatusCodes { get; set; }

    /// <summary>Error types that are retried whatever their status. Null means <see cref="DefaultRetryableErrorTypes"/>.</summary>
    public IList<string>? RetryableErrorTypes { get; set; }

    /// <summary>Retry topics are <c>{TopicPrefix}.{tier}</c>. Default <c>{destination}.retry</c>.</summary>
    public string? TopicPrefix { get; set; }

    /// <summary>The effective delays.</summary>
    public IReadOnlyList<TimeSpan> EffectiveDelays => Delays is { Count: > 0 } d ? [.. d] : DefaultDelays;
}
