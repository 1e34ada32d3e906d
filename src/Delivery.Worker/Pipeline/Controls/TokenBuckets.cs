using System.Threading.RateLimiting;

namespace Delivery.Worker.Pipeline.Controls;

/// <summary>Builds the <see cref="TokenBucketRateLimiter"/> of a per-second limit (pure mapping, unit-tested).</summary>
internal static class TokenBuckets
{
    /// <summary>Replenishment step: the bucket is topped up about every 50 ms (or once per token, if slower).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(1.0 / Core.Options.RateLimitOptions.RefillsPerSecond);

    /// <summary>
    /// The options of a bucket of <paramref name="burst"/> tokens refilled at <paramref name="perSecond"/>: whole tokens
    /// per period, the period chosen so the rate is exact; an unbounded queue served oldest first, so a call waits for its
    /// tokens and is never refused. The validator keeps the burst at least one step's worth, so the period is never
    /// shorter than the timer can keep. Not auto-replenished: the limiter's own timer adds a fixed TokensPerPeriod per
    /// tick, so every late tick (a busy or CPU-throttled process) loses tokens for good and the rate falls below the
    /// limit; <see cref="ReplenishingRateLimiter.TryReplenish"/> adds what the time since the last one earned (up to the
    /// burst), so a late tick is made up.
    /// </summary>
    public static TokenBucketRateLimiterOptions Options(double perSecond, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        var tokens = (int)Math.Clamp(Math.Round(perSecond * Step.TotalSeconds), 1, burst);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / perSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = false, // replenished by DeliveryControls' timer: see Replenish
        };
    }

    /// <summary>A bucket for <paramref name="perSecond"/>, or null when the limit is off (0).</summary>
    public static TokenBucketRateLimiter? Create(double perSecond, int burst)
        => perSecond > 0 ? new TokenBucketRateLimiter(Options(perSecond, burst)) : null;
}
