using Delivery.Core.Retry;
using Delivery.Core.Topology;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Keeps one long wait from parking a retry tier partition (issue 17): a tier partition never waits on its head record
/// for longer than the tier's own bound, <c>delay × (1 + Jitter)</c> (the longest wait a record entering the tier on its
/// plain delay can have), while other records are behind it. A head record whose remaining wait is within the bound is
/// waited for as always; a longer one (a per-event Retry-After above the tier's delay, up to <c>MaxRetryAfter</c>) is
/// requeued to the tail of the tier when records are behind it, and otherwise waited for no longer than the bound
/// before the partition looks again (new records may have arrived behind it). Pure: the time is passed in.
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
    /// Decides on the head record of a partition of <paramref name="topic"/>, due at <paramref name="due"/> (after
    /// <paramref name="now"/>); <paramref name="recordsBehind"/>: the partition holds records after it.
    /// </summary>
    public TierHeadDecision Decide(string topic, DateTimeOffset due, DateTimeOffset now, bool recordsBehind)
    {
        if (!_tiers.TryGetValue(topic, out var tier) || due - now <= tier.Bound)
        {
            return new TierHeadDecision(TierHeadAction.Wait, due, tier.Tier);
        }

        return recordsBehind
            ? new TierHeadDecision(TierHeadAction.Requeue, due, tier.Tier)
            : new TierHeadDecision(TierHeadAction.Wait, now + tier.Bound, tier.Tier);
    }
}
