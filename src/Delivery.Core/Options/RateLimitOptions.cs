using System.ComponentModel.DataAnnotations;

namespace Delivery.Core.Options;

/// <summary>
/// Token-bucket rate limits of one destination (<c>Delivery:Destinations:{name}:RateLimit</c>), applied before every
/// handler call. Work is never dropped: a call waits for its tokens, the in-flight window fills and consumption slows
/// through the normal backpressure. 0 switches a limit off.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>How often a bucket is topped up; a burst must hold at least 1/RefillsPerSecond s of its rate.</summary>
    public const int RefillsPerSecond = 20;

    /// <summary>Most events handed to the handler per second (each call takes one token per event). Default 0: no limit.</summary>
    [Range(0.0, 1_000_000.0)]
    public double EventsPerSecond { get; set; }

    /// <summary>
    /// Events the bucket holds (a burst after a quiet period, and the largest single call: a batch larger than this is
    /// delivered in calls of at most this many events). Default 0: one second's worth of <see cref="EventsPerSecond"/>;
    /// otherwise at least 1/20 s of it.
    /// </summary>
    [Range(0, 1_000_000)]
    public int EventsBurst { get; set; }

    /// <summary>Most handler calls (requests; a Webhook call is one batch, use EventsPerSecond for its requests) per second. Default 0: no limit.</summary>
    [Range(0.0, 100_000.0)]
    public double RequestsPerSecond { get; set; }

    /// <summary>Calls the bucket holds (a burst after a quiet period). Default 0: one second's worth of <see cref="RequestsPerSecond"/>; otherwise at least 1/20 s of it.</summary>
    [Range(0, 100_000)]
    public int RequestsBurst { get; set; }

    /// <summary>The events bucket's size after the default (0 when off).</summary>
    public int EffectiveEventsBurst => EffectiveBurst(EventsPerSecond, EventsBurst);

    /// <summary>The requests bucket's size after the default (0 when off).</summary>
    public int EffectiveRequestsBurst => EffectiveBurst(RequestsPerSecond, RequestsBurst);

    private static int EffectiveBurst(double perSecond, int burst)
        => perSecond <= 0 ? 0 : burst > 0 ? burst : (int)Math.Min(int.MaxValue, Math.Max(1, Math.Ceiling(perSecond)));
}
