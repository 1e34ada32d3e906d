using Confluent.Kafka;
using Delivery.Core.Options;
using Delivery.Kafka.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Delivery.Worker.Kafka;

/// <summary>
/// Builds Kafka client configurations: <c>Delivery:Kafka:Client</c> first, then the keys the delivery guarantees
/// depend on, set in code (manual offset storing and commits, read-committed, idempotent producer with acks=all).
/// In embedded mode the embedded cluster's bootstrap servers replace <c>BootstrapServers</c>. Subscribing consumers get
/// the group protocol of <c>Delivery:Kafka:GroupProtocol</c> (<see cref="GroupProtocol"/>).
/// </summary>
internal sealed class KafkaClientFactory
{
    /// <summary>How long <see cref="KafkaGroupProtocol.Auto"/> waits for a broker's ApiVersions answer.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly IOptions<DeliveryOptions> _options;
    private readonly Lazy<string> _bootstrap;
    private readonly Lazy<KafkaGroupProtocol> _protocol;
    private readonly ILogger _logger;

    public KafkaClientFactory(IOptions<DeliveryOptions> options, IServiceProvider services, ILogger<KafkaClientFactory>? logger = null)
    {
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _bootstrap = new(() =>
        {
            var kafka = options.Value.Kafka;
            return kafka.Embedded
                ? services.GetRequiredService<EmbeddedKafkaCluster>().BootstrapServers
                : kafka.BootstrapServers ?? throw new InvalidOperationException("Delivery:Kafka:BootstrapServers: is required unless Delivery:Kafka:Embedded is true");
        });
        _protocol = new(ResolveGroupProtocol);
    }

    /// <summary>
    /// The group protocol of the destinations' consumers: <see cref="KafkaGroupProtocol.Consumer"/> or
    /// <see cref="KafkaGroupProtocol.Classic"/>. <see cref="KafkaGroupProtocol.Auto"/> is resolved once, on first use:
    /// the embedded cluster serves KIP-848; otherwise a broker's ApiVersions answer decides (<see cref="BrokerFeatureProbe"/>),
    /// and without an answer within <see cref="ProbeTimeout"/> the classic protocol is used (it works on every broker).
    /// </summary>
    public KafkaGroupProtocol GroupProtocol => _protocol.Value;

    /// <summary>The bootstrap servers in use.</summary>
    public string BootstrapServers => _bootstrap.Value;

    /// <summary>True when the embedded cluster is in use.</summary>
    public bool IsEmbedded => _options.Value.Kafka.Embedded;

    /// <summary>
    /// Consumer configuration for <paramref name="groupId"/>. A consumer that subscribes (the default) gets the group
    /// protocol (<see cref="GroupProtocol"/>; the classic one with the <c>cooperative-sticky</c> assignor); one that only
    /// assigns partitions itself (<paramref name="subscribes"/> false) needs no group membership and gets neither.
    /// </summary>
    public ConsumerConfig ConsumerConfig(string groupId, string clientId, bool subscribes = true)
    {
        var config = new ConsumerConfig(Base())
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId,
            ClientId = clientId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = false,
            AllowAutoCreateTopics = false,
        };
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        config.FetchWaitMaxMs ??= 100;

        // librdkafka's default (1000 ms) stops fetching for a whole second each time the prefetch queue fills up
        // (queued.min.messages / queued.max.messages.kbytes), which halves throughput under steady load.
        config.FetchQueueBackoffMs ??= 20;
        if (subscribes)
        {
            if (GroupProtocol == KafkaGroupProtocol.Consumer)
            {
                config.GroupProtocol = Confluent.Kafka.GroupProtocol.Consumer;
            }
            else
            {
                config.GroupProtocol = Confluent.Kafka.GroupProtocol.Classic;
                config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
            }
        }

        return config;
    }

    /// <summary>Producer configuration for retry and dead-letter records.</summary>
    public ProducerConfig ProducerConfig(string clientId)
    {
        var config = new ProducerConfig(Base())
        {
            BootstrapServers = BootstrapServers,
            ClientId = clientId,
            EnableIdempotence = true,
            Acks = Acks.All,
        };

        // The mock cluster does not check idempotent sequence numbers (only transactional ones), so with several
        // requests in flight a failed request followed by a successful one makes librdkafka ack the failed messages
        // implicitly ("R2 succeeded, so R1 was persisted") although the mock never stored them. One request in
        // flight per connection keeps acknowledgements truthful on the embedded cluster; real Kafka keeps up to 5.
        config.MaxInFlight = IsEmbedded ? 1 : Math.Clamp(config.MaxInFlight ?? 5, 1, 5);
        config.LingerMs ??= 5;
        config.MessageTimeoutMs ??= 30_000;
        return config;
    }

    /// <summary>Admin client configuration.</summary>
    public AdminClientConfig AdminConfig() => new(Base()) { BootstrapServers = BootstrapServers };

    private Dictionary<string, string> Base() => new(_options.Value.Kafka.Client, StringComparer.Ordinal);

    private KafkaGroupProtocol ResolveGroupProtocol()
    {
        var kafka = _options.Value.Kafka;
        if (kafka.GroupProtocol != KafkaGroupProtocol.Auto)
        {
            KafkaLog.GroupProtocol(_logger, kafka.GroupProtocol, "Delivery:Kafka:GroupProtocol");
            return kafka.GroupProtocol;
        }

        if (kafka.Embedded)
        {
            KafkaLog.GroupProtocol(_logger, KafkaGroupProtocol.Consumer, "Auto: the embedded cluster serves KIP-848");
            return KafkaGroupProtocol.Consumer;
        }

        switch (BrokerFeatureProbe.Serves(AdminConfig(), BrokerFeatureProbe.ConsumerGroupHeartbeat, ProbeTimeout))
        {
            case true:
                KafkaLog.GroupProtocol(_logger, KafkaGroupProtocol.Consumer, "Auto: the brokers serve ConsumerGroupHeartbeat (KIP-848)");
                return KafkaGroupProtocol.Consumer;
            case false:
                KafkaLog.GroupProtocol(_logger, KafkaGroupProtocol.Classic, "Auto: a broker does not serve ConsumerGroupHeartbeat (KIP-848); cooperative-sticky assignor");
                return KafkaGroupProtocol.Classic;
            default:
                KafkaLog.GroupProtocolProbeFailed(_logger, ProbeTimeout.TotalSeconds);
                return KafkaGroupProtocol.Classic;
        }
    }
}
