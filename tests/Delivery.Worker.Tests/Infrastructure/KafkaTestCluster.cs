using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Delivery.Kafka.Embedded;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// The broker a test runs against (<see cref="KafkaBrokerChoice"/>): the real Kafka named by
/// <c>DELIVERY_TEST_KAFKA=host:port</c>, a Testcontainers Kafka (asked for, or where a Docker engine answers), or a
/// fresh embedded mock cluster per test (the only source with fault injection: tests that need it carry
/// <see cref="FaultInjectionTrait"/> and are excluded elsewhere). Topic and group names are unique per test.
/// </summary>
internal sealed class KafkaTestCluster : IDisposable
{
    /// <summary>The trait name and value of tests that inject broker faults (embedded cluster only).</summary>
    public const string FaultInjectionTrait = "FaultInjection";

    private static readonly Lazy<(KafkaBrokerSource Source, string? Address)> Choice = new(ChooseOnce);

    private KafkaTestCluster(string bootstrapServers, EmbeddedKafkaCluster? embedded)
    {
        BootstrapServers = bootstrapServers;
        Embedded = embedded;
    }

    /// <summary>The embedded cluster of a fault-injection test; fails loudly on a broker that cannot inject faults.</summary>
    public EmbeddedKafkaCluster FaultInjection => Embedded ?? throw new InvalidOperationException(
        $"This test injects broker faults, which only the embedded cluster can do; the suite uses {Source}. Exclude trait Kafka={FaultInjectionTrait}.");

    /// <summary>The source the suite uses in this process.</summary>
    public static KafkaBrokerSource Source => Choice.Value.Source;

    public string BootstrapServers { get; }

    /// <summary>The embedded cluster, or null against real Kafka.</summary>
    public EmbeddedKafkaCluster? Embedded { get; }

    public static KafkaTestCluster Create(int brokers = 3)
    {
        var (source, address) = Choice.Value;
        if (source != KafkaBrokerSource.Embedded)
        {
            return new KafkaTestCluster(address!, null);
        }

        var embedded = EmbeddedKafkaCluster.Start(brokers, TimeSpan.FromMilliseconds(10));
        return new KafkaTestCluster(embedded.BootstrapServers, embedded);
    }

    private static (KafkaBrokerSource Source, string? Address) ChooseOnce()
    {
        var choice = Task.Run(() => KafkaBrokerChoice.ResolveAsync(
            Environment.GetEnvironmentVariable(KafkaBrokerChoice.Variable),
            Environment.GetEnvironmentVariable("DOCKER_HOST"),
            File.Exists,
            KafkaContainerBroker.BootstrapServersAsync)).GetAwaiter().GetResult();
        Report(choice.Source, choice.Address);
        return choice;
    }

    // ./build.sh test prints which broker the suite used from this file.
    private static void Report(KafkaBrokerSource source, string? address)
    {
        var path = Environment.GetEnvironmentVariable("DELIVERY_TEST_BROKER_REPORT");
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, address is null ? $"{source}\n" : $"{source} ({address})\n");
        }
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    public async Task CreateTopicAsync(string topic, int partitions)
    {
        if (Embedded is not null)
        {
            Embedded.CreateTopic(topic, partitions, Math.Min(3, Embedded.BrokerCount));
            return;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        try
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = -1 }]);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
        }
    }

    public IProducer<byte[], byte[]> CreateProducer()
        => new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5 }).Build();

    public async Task ProduceAsync(string topic, IEnumerable<Message<byte[], byte[]>> messages)
    {
        using var producer = CreateProducer();
        var pending = new List<Task>();
        foreach (var message in messages)
        {
            pending.Add(producer.ProduceAsync(topic, message));
            if (pending.Count >= 5000)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        producer.Flush(TimeSpan.FromSeconds(10));
    }

    public TopicReader Read(string topic) => new(BootstrapServers, topic);

    /// <summary>Committed offsets of <paramref name="group"/> summed with the high watermarks of <paramref name="topic"/>: the remaining lag.</summary>
    public long CommittedLag(string group, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = group, EnableAutoCommit = false }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        var partitions = metadata.Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10));
        long lag = 0;
        foreach (var c in committed)
        {
            var high = consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value;
            lag += high - Math.Max(0, c.Offset.Value);
        }

        return lag;
    }

    public void Dispose() => Embedded?.Dispose();
}
