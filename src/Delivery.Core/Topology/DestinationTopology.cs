using Delivery.Core.Options;

namespace Delivery.Core.Topology;

/// <summary>
/// The Kafka names of one destination (DESIGN.md §5), computed in this one place: its consumer group, source topics,
/// retry tier topics (one per distinct retry delay, tier 1 first) and dead-letter topic. The pipeline, the options
/// validator, the DLQ tools and the demo all take their names from here.
/// </summary>
public sealed class DestinationTopology
{
    private readonly HashSet<string> _tierSet;

    private DestinationTopology(string destination, string consumerGroup, IReadOnlyList<string> sourceTopics, string retryTopicPrefix, int tiers, string deadLetterTopic)
    {
        Destination = destination;
        ConsumerGroup = consumerGroup;
        SourceTopics = sourceTopics;
        RetryTopicPrefix = retryTopicPrefix;
        TierTopics = [.. Enumerable.Range(1, tiers).Select(t => TierTopicName(retryTopicPrefix, t))];
        DeadLetterTopic = deadLetterTopic;
        _tierSet = new HashSet<string>(TierTopics, StringComparer.Ordinal);
    }

    /// <summary>The destination name.</summary>
    public string Destination { get; }

    /// <summary>The consumer group: <c>ConsumerGroup</c>, default <c>delivery.{destination}</c>.</summary>
    public string ConsumerGroup { get; }

    /// <summary>The configured source topics, blanks and repeats removed, in configuration order.</summary>
    public IReadOnlyList<string> SourceTopics { get; }

    /// <summary>The retry topic prefix: <c>Retry:TopicPrefix</c>, default <c>{destination}.retry</c>.</summary>
    public string RetryTopicPrefix { get; }

    /// <summary>The retry tier topics <c>{prefix}.1 … {prefix}.N</c>, one per distinct retry delay.</summary>
    public IReadOnlyList<string> TierTopics { get; }

    /// <summary>The dead-letter topic: <c>DeadLetter:Topic</c>, default <c>{destination}.dlq</c>.</summary>
    public string DeadLetterTopic { get; }

    /// <summary>The consumer group the DLQ redrive tool reads the dead-letter topic with.</summary>
    public string RedriveGroup => $"{ConsumerGroup}.redrive";

    /// <summary>Every topic the destination's consumer subscribes to: sources, then tiers.</summary>
    public IEnumerable<string> SubscribedTopics => SourceTopics.Concat(TierTopics);

    /// <summary>The topics the worker writes (tiers and the dead-letter topic).</summary>
    public IEnumerable<string> OwnedTopics => TierTopics.Append(DeadLetterTopic);

    /// <summary>The topology of destination <paramref name="destination"/> with options <paramref name="options"/>.</summary>
    public static DestinationTopology For(string destination, DestinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        var sources = (options.SourceTopics ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToArray();
        var tiers = options.Retry is null ? 0 : options.Retry.EffectiveDelays.Distinct().Count();
        return new DestinationTopology(
            destination,
            ConsumerGroupOf(destination, options.ConsumerGroup),
            sources,
            RetryTopicPrefixOf(destination, options.Retry?.TopicPrefix),
            tiers,
            DeadLetterTopicOf(destination, options.DeadLetter?.Topic));
    }

    /// <summary>The consumer group after defaults.</summary>
    public static string ConsumerGroupOf(string destination, string? configured)
        => string.IsNullOrWhiteSpace(configured) ? $"delivery.{destination}" : configured;

    /// <summary>The retry topic prefix after defaults.</summary>
    public static string RetryTopicPrefixOf(string destination, string? configured)
        => string.IsNullOrWhiteSpace(configured) ? $"{destination}.retry" : configured;

    /// <summary>The dead-letter topic after defaults.</summary>
    public static string DeadLetterTopicOf(string destination, string? configured)
        => string.IsNullOrWhiteSpace(configured) ? $"{destination}.dlq" : configured;

    /// <summary>The topic of retry tier <paramref name="tier"/> (1-based) under <paramref name="prefix"/>.</summary>
    public static string TierTopicName(string prefix, int tier) => $"{prefix}.{tier}";

    /// <summary>The topic of retry tier <paramref name="tier"/> (1-based; clamped to the tiers there are).</summary>
    public string TierTopic(int tier)
    {
        if (TierTopics.Count == 0)
        {
            throw new InvalidOperationException($"Destination '{Destination}' has no retry tiers.");
        }

        return TierTopics[Math.Clamp(tier, 1, TierTopics.Count) - 1];
    }

    /// <summary>True for one of this destination's retry tier topics.</summary>
    public bool IsTierTopic(string topic) => _tierSet.Contains(topic);
}
