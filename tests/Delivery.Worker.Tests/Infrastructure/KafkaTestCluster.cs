using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Delivery.Kafka.Embedded;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// The broker a test runs against: a fresh embedded mock cluster per test (fault injection available), or the real
/// Kafka named by <c>DELIVERY_TEST_KAFKA=host:port</c> (no fault injection). Topic and group names are unique per test.
/// </summary>
internal sealed class KafkaTestCluster : IDisposable
{
    private KafkaTestCluster(string bootstrapServers, EmbeddedKafkaCluster? embedded)
    {
        BootstrapServers = bootstrapServers;
        Embedded = embedded;
    }

    public string BootstrapServers { get; }

    /// <summary>The embedded cluster, or null against real Kafka.</summary>
    public EmbeddedKafkaCluster? Embedded { get; }

    public static KafkaTestCluster Create(int brokers = 3)
    {
        var external = Environment.GetEnvironmentVariable("DELIVERY_TEST_KAFKA");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new KafkaTestCluster(external, null);
        }

        var embedded = EmbeddedKafkaCluster.Start(brokers, TimeSpan.FromMilliseconds(10));
        return new KafkaTestCluster(embedded.BootstrapServers, embedded);
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
