using Confluent.Kafka;
using Delivery.Core.Options;
using Delivery.Core.Secrets;
using Delivery.Core.Topology;
using Delivery.Worker.Kafka;

namespace Delivery.Worker.Dlq;

/// <summary>Kafka clients and names for working on one destination's dead-letter topic.</summary>
internal sealed class DlqSession : IDisposable
{
    private readonly KafkaClientFactory _clients;
    private readonly Lazy<IProducer<byte[], byte[]>> _producer;

    /// <summary>Opens clients for <paramref name="destination"/>.</summary>
    public DlqSession(string destination, DestinationOptions options, KafkaClientFactory clients, TimeSpan timeout, SecretRedactor? redactor = null)
    {
        Redactor = redactor ?? SecretRedactor.PatternsOnly;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clients);
        Destination = destination;
        Options = options;
        Timeout = timeout;
        _clients = clients;
        var topology = DestinationTopology.For(destination, options);
        Topic = topology.DeadLetterTopic;
        RetryTopic = topology.TierTopic(1);
        RedriveGroup = topology.RedriveGroup;
        Admin = new AdminClientBuilder(clients.AdminConfig()).Build();
        var consumerConfig = clients.ConsumerConfig(RedriveGroup, $"delivery-worker-dlq-{destination}", subscribes: false);
        Consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig).Build();
        _producer = new Lazy<IProducer<byte[], byte[]>>(() => new ProducerBuilder<byte[], byte[]>(_clients.ProducerConfig($"delivery-worker-redrive-{destination}")).Build());
    }

    /// <summary>The worker's redactor: everything the DLQ tools print goes through it.</summary>
    public SecretRedactor Redactor { get; }

    /// <summary>Destination name.</summary>
    public string Destination { get; }

    /// <summary>Destination options.</summary>
    public DestinationOptions Options { get; }

    /// <summary>The dead-letter topic.</summary>
    public string Topic { get; }

    /// <summary>Retry tier 1, where redriven records go.</summary>
    public string RetryTopic { get; }

    /// <summary>The consumer group whose committed offsets are the redrive position.</summary>
    public string RedriveGroup { get; }

    /// <summary>Per-call broker timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Admin client.</summary>
    public IAdminClient Admin { get; }

    /// <summary>Consumer in group <see cref="RedriveGroup"/> (assign only; commits only from redrive).</summary>
    public IConsumer<byte[], byte[]> Consumer { get; }

    /// <summary>Idempotent producer (acks=all).</summary>
    public IProducer<byte[], byte[]> Producer => _producer.Value;

    /// <summary>Partitions and watermarks of the dead-letter topic.</summary>
    public IReadOnlyList<(TopicPartition Partition, long Low, long High)> Watermarks() =>
        DlqTopicReader.Watermarks(Consumer, Admin, Topic, Timeout);

    /// <inheritdoc />
    public void Dispose()
    {
        Consumer.Close();
        Consumer.Dispose();
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(Timeout);
            _producer.Value.Dispose();
        }

        Admin.Dispose();
    }
}
