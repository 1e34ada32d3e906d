using System.Collections.Frozen;
using Delivery.Core.Options;

namespace Delivery.Core.Retry;

/// <summary>
/// The effective retry rules of one destination: classification (by status, then by error type), attempt and age
/// limits, and the tier ladder (one tier per distinct delay; the last delay repeats).
/// </summary>
public sealed class RetryPolicy
{
    private readonly FrozenSet<int> _retryableStatuses;
    private readonly FrozenSet<string> _retryableTypes;
    private readonly TimeSpan[] _delays;
    private readonly int[] _tierOfStep;

    /// <summary>Builds the policy from validated options.</summary>
    public RetryPolicy(RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        MaxAttempts = options.MaxAttempts;
        MaxAge = options.MaxAge;
        MaxRetryAfter = options.MaxRetryAfter;
        Jitter = options.Jitter;
        // Null means the defaults; an empty list means "no status is retryable" (as for the error types).
        _retryableStatuses = (options.RetryableStatusCodes?.AsEnumerable() ?? RetryOptions.DefaultRetryableStatusCodes).ToFrozenSet();
        _retryableTypes = (options.RetryableErrorTypes?.AsEnumerable() ?? RetryOptions.DefaultRetryableErrorTypes).ToFrozenSet(StringComparer.Ordinal);
        _delays = [.. options.EffectiveDelays];
        TierDelays = _delays.Distinct().ToArray();
        _tierOfStep = _delays.Select(d => Array.IndexOf((TimeSpan[])TierDelays, d) + 1).ToArray();
    }

    /// <summary>Attempts (the first delivery included) before a retryable event is dead-lettered.</summary>
    public int MaxAttempts { get; }

    /// <summary>Age after which a retryable event is dead-lettered.</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>Longest per-event Retry-After honoured; a longer one is capped to it.</summary>
    public TimeSpan MaxRetryAfter { get; }

    /// <summary>Relative jitter of each delay.</summary>
    public double Jitter { get; }

    /// <summary>The delay of each tier: tier <c>t</c> (1-based) waits <c>TierDelays[t-1]</c>. One retry topic per tier.</summary>
    public IReadOnlyList<TimeSpan> TierDelays { get; }

    /// <summary>True when an error with this status and type is retried.</summary>
    public bool IsRetryable(int status, string errorType)
        => _retryableStatuses.Contains(status) || (errorType is not null && _retryableTypes.Contains(errorType));

    /// <summary>The tier (1-based) for the retry that follows attempt <paramref name="attemptsMade"/>.</summary>
    public int TierAfter(int attemptsMade)
    {
        var step = Math.Clamp(attemptsMade, 1, _delays.Length) - 1;
        return _tierOfStep[step];
    }

    /// <summary>
    /// The tier (1-based) a retry after attempt <paramref name="attemptsMade"/> is sent to when the destination asked
    /// for <paramref name="retryAfter"/>: the attempt's tier (<see cref="TierAfter"/>), or, when the honoured
    /// Retry-After (<see cref="CapRetryAfter"/>) is at least the delay of a longer tier, the longest such tier. The
    /// record then waits among records of a similar delay: a retry tier stays FIFO in due time as far as the tiers
    /// allow, and a long wait is requeued in its tier (the worker's tier head rule) rarely, not once per short delay.
    /// </summary>
    public int TierFor(int attemptsMade, TimeSpan? retryAfter)
    {
        var tier = TierAfter(attemptsMade);
        if (CapRetryAfter(retryAfter) is not { } honoured)
        {
            return tier;
        }

        var longest = TierDelays[tier - 1];
        for (var i = 0; i < TierDelays.Count; i++)
        {
            if (TierDelays[i] > longest && TierDelays[i] <= honoured)
            {
                tier = i + 1;
                longest = TierDelays[i];
            }
        }

        return tier;
    }

    /// <summary>The nominal delay (before jitter) after attempt <paramref name="attemptsMade"/>.</summary>
    public TimeSpan DelayAfter(int attemptsMade) => _delays[Math.Clamp(attemptsMade, 1, _delays.Length) - 1];

    /// <summary>A per-event Retry-After as honoured: capped to <see cref="MaxRetryAfter"/> (null stays null).</summary>
    public TimeSpan? CapRetryAfter(TimeSpan? retryAfter)
        => retryAfter is { } ra && ra > MaxRetryAfter ? MaxRetryAfter : retryAfter;

    /// <summary>
    /// When the retry after attempt <paramref name="attemptsMade"/> is due:
    /// <c>now + max(delay ± jitter, min(retryAfter, MaxRetryAfter))</c>. <paramref name="unitRandom"/> is a sample in [0, 1).
    /// </summary>
    public DateTimeOffset DueAt(int attemptsMade, DateTimeOffset now, TimeSpan? retryAfter, double unitRandom)
    {
        var delay = DelayAfter(attemptsMade);
        var factor = 1.0 + (Jitter * ((2.0 * unitRandom) - 1.0));
        var jittered = TimeSpan.FromTicks((long)(delay.Ticks * factor));
        if (CapRetryAfter(retryAfter) is { } ra && ra > jittered)
        {
            jittered = ra;
        }

        return now + jittered;
    }
}
