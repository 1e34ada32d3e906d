using Delivery.Core.Topology;
using Microsoft.Extensions.Options;

namespace Delivery.Core.Options;

/// <summary>
/// One destination (<c>Delivery:Destinations:{name}</c>). Type-specific settings live under <c>Settings</c> and are
/// bound by the destination type itself.
/// </summary>
public sealed class DestinationOptions
{
    /// <summary>The handler type: HttpBatch, Nakadi, ElasticsearchBulk, Webhook (or a test type). Required when enabled.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>Whether a pipeline runs for this destination. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Topics to consume. At least one is required.</summary>
    public IList<string> SourceTopics { get; set; } = [];

    /// <summary>Kafka consumer group. Default <c>delivery.{destination}</c>.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>Source header carrying a stable event id; when absent, <c>topic/partition/offset</c> is used.</summary>
    public string? EventIdHeader { get; set; }

    /// <summary>
    /// Delivery order: <see cref="DeliveryOrdering.None"/> (default: per partition for first attempts only) or
    /// <see cref="DeliveryOrdering.PerKey"/> (per Kafka key across retries, retries held in place).
    /// </summary>
    public DeliveryOrdering Ordering { get; set; } = DeliveryOrdering.None;

    /// <summary>Batching.</summary>
    [ValidateObjectMembers]
    public BatchOptions Batch { get; set; } = new();

    /// <summary>Rate limits (events and requests per second).</summary>
    [ValidateObjectMembers]
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Adaptive concurrency.</summary>
    [ValidateObjectMembers]
    public ConcurrencyOptions Concurrency { get; set; } = new();

    /// <summary>Retry schedule and classification.</summary>
    [ValidateObjectMembers]
    public RetryOptions Retry { get; set; } = new();

    /// <summary>Dead-letter topic.</summary>
    [ValidateObjectMembers]
    public DeadLetterOptions DeadLetter { get; set; } = new();

    /// <summary>HTTP client settings.</summary>
    [ValidateObjectMembers]
    public DestinationHttpOptions Http { get; set; } = new();

    /// <summary>Consumer group after defaults.</summary>
    public string EffectiveConsumerGroup(string destination) => DestinationTopology.ConsumerGroupOf(destination, ConsumerGroup);

    /// <summary>Retry topic prefix after defaults.</summary>
    public string EffectiveRetryTopicPrefix(string destination) => DestinationTopology.RetryTopicPrefixOf(destination, Retry.TopicPrefix);

    /// <summary>Dead-letter topic after defaults.</summary>
    public string EffectiveDeadLetterTopic(string destination) => DestinationTopology.DeadLetterTopicOf(destination, DeadLetter.Topic);

    /// <summary>Every Kafka name of this destination (group, sources, tiers, DLQ).</summary>
    public DestinationTopology Topology(string destination) => DestinationTopology.For(destination, this);
}
