using System.ComponentModel.DataAnnotations;

namespace Delivery.Core.Options;

/// <summary>Kafka connection (<c>Delivery:Kafka</c>).</summary>
public sealed class KafkaOptions
{
    /// <summary>Bootstrap servers (host:port, comma-separated). Required unless <see cref="Embedded"/>.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>
    /// Consumer group protocol: <see cref="KafkaGroupProtocol.Auto"/> (default: KIP-848 when the brokers serve
    /// <c>ConsumerGroupHeartbeat</c>, else classic), <see cref="KafkaGroupProtocol.Consumer"/> or
    /// <see cref="KafkaGroupProtocol.Classic"/> (with the <c>cooperative-sticky</c> assignor). Both are incremental:
    /// partitions that stay with a replica keep flowing through a rebalance.
    /// </summary>
    public KafkaGroupProtocol GroupProtocol { get; set; } = KafkaGroupProtocol.Auto;

    /// <summary>Start librdkafka's in-memory mock cluster in-process (demo and tests only, never production). Default false.</summary>
    public bool Embedded { get; set; }

    /// <summary>Number of brokers of the embedded cluster. Default 3.</summary>
    [Range(1, 16)]
    public int EmbeddedBrokers { get; set; } = 3;

    /// <summary>Create the retry and dead-letter topics at start (ignoring "already exists"). Default true.</summary>
    public bool CreateTopics { get; set; } = true;

    /// <summary>Partitions of topics the worker creates. Default 6.</summary>
    [Range(1, 100_000)]
    public int TopicPartitions { get; set; } = 6;

    /// <summary>Replication factor of topics the worker creates (-1 = broker default). Default -1.</summary>
    public short TopicReplicationFactor { get; set; } = -1;

    /// <summary>
    /// Extra librdkafka properties (security, tuning). Keys that would break the delivery guarantees
    /// (offset storing, auto commit, isolation, idempotence, acks) are set in code and rejected here.
    /// </summary>
    public IDictionary<string, string> Client { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
