using Delivery.Core.Retry;
using Delivery.Core.Topology;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Keeps one long wait from parking a retry tier partition (issue 17). A record entering tier <c>t</c> on its plain
/// delay is due at most <c>bound = delay_t × (1 + Jitter)</c> after it entered (its Kafka timestamp), so FIFO order is
/// due order and the partition never waits on its head longer than that. A record due later (a per-event Retry-After
/// above the tier's delay, up to <c>MaxRetryAfter</c>) holds its partition no longer than a plain record entering with
/// it could: until <c>entered + bound</c>; then, if records are behind it, it is requeued unchanged to the tail of the
/// tier (its copy enters anew, so each copy waits a bound before it can be requeued again: at most one copy per bound
/// per event, never a loop of copies); with nothing behind, the partition looks again after at most a bound. Records
/// due within their bound take today's path exactly. Pure: the times are passed in.
/// </summary>
internal sealed class TierHeadRule
{
    private readonly Dictionary<string, (int Tier, TimeSpan Bound)> _tiers;

    /// <summary>A rule over tier topics <paramref name="tierTopics"/> (tier 1 first) with delays <paramref name="tierDelays"/>.</summary>
    public TierHeadRule(IReadOnlyList<string> tierTopics, IReadOnlyList<TimeSpan> tierDelays, double jitter)
    {
        ArgumentNullException.ThrowIfNull(tierTopics);
        ArgumentNullException.ThrowIfNull(tierDelays);
        _tiers = new Dictionary<string, (int, TimeSpan)>(StringComparer.Ordinal);
        for (var i = 0; i < tierTopics.Count && i < tierDelays.Count; i++)
        {
            _tiers[tierTopics[i]] = (i + 1, TimeSpan.FromTicks((long)(tierDelays[i].Ticks * (1.0 + jitter))));
        }
    }

    /// <summary>The rule of a destination: its tier topics and its retry policy's tier delays and jitter.</summary>
    public static TierHeadRule For(DestinationTopology topology, RetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(policy);
        return new TierHeadRule(topology.TierTopics, policy.TierDelays, policy.Jitter);
    }

    /// <summary>The longest a partition of tier topic <paramref name="topic"/> waits on its head; null for another topic.</summary>
    public TimeSpan? Bound(string topic) => _tiers.TryGetValue(topic, out var tier) ? tier.Bound : null;

    /// <summary>
    /// Decides on the not-yet-due head record of a partition of <paramref name="topic"/>, due at <paramref name="due"/>,
    /// which entered the tier at <paramref name="entered"/> (its Kafka timestamp; null when the record has none: then
    /// its wait is measured from <paramref name="now"/>); <paramref name="recordsBehind"/>: the partition holds records
    /// after it.
    /// </summary>
    public TierHeadDecision Decide(string topic, DateTimeOffset due, DateTimeOffset? entered, DateTimeOffset now, bool recordsBehind)
    {
        if (!_tiers.TryGetValue(topic, out var tier))
        {
            return new TierHeadDecision(TierHeadAction.Wait, due, 0);
        }

        // The latest a record that entered the tier with it on the plain delay is due.
        var latest = (entered ?? now) + tier.Bound;
        if (due <= latest)
        {
            return new TierHeadDecision(TierHeadAction.Wait, due, tier.Tier);
        }

        if (entered is not null && now < latest)
        {
            return new TierHeadDecision(TierHeadAction.Wait, latest, tier.Tier);
        }

        if (recordsBehind)
        {
            return new TierHeadDecision(TierHeadAction.Requeue, due, tier.Tier);
        }

        var again = now + tier.Bound;
        return new TierHeadDecision(TierHeadAction.Wait, again < due ? again : due, tier.Tier);
    }
}
