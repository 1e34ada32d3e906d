using System.Diagnostics;
using Confluent.Kafka;
using Delivery.Kafka.Embedded;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// The embedded Kafka-protocol cluster every scenario runs on (librdkafka's mock cluster, DESIGN.md §8), with the
/// helpers the harness needs: topic creation, bulk produce, committed offsets of a group.
/// </summary>
internal sealed class BenchCluster : IDisposable
{
    private BenchCluster(EmbeddedKafkaCluster embedded) => Embedded = embedded;

    public EmbeddedKafkaCluster Embedded { get; }

    public string BootstrapServers => Embedded.BootstrapServers;

    public static BenchCluster Start() => new(EmbeddedKafkaCluster.Start(3, TimeSpan.FromMilliseconds(10)));

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public void CreateTopic(string topic, int partitions) => Embedded.CreateTopic(topic, partitions, 1);

    /// <summary>
    /// Produces records <c>0..count-1</c> (see <see cref="EventPayloads"/>, or <paramref name="message"/>) and waits for
    /// every acknowledgement. With <paramref name="partitions"/>, record <c>i</c> goes to partition <c>i % partitions</c>
    /// and the partitions are filled one after the other, so each is written in large record batches: the mock broker
    /// finds a fetch offset by scanning a partition's batches one by one (<c>rd_kafka_mock_msgset_find</c>, 37 % of a
    /// raw round's samples with batches spread thin over 215 partitions), which real brokers do through an index.
    /// </summary>
    public TimeSpan Produce(string topic, int count, Func<int, Message<byte[], byte[]>>? message = null, int? partitions = null)
    {
        var clock = Stopwatch.StartNew();
        long failed = 0;
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            Acks = Acks.Leader,
            EnableIdempotence = false,
            LingerMs = 20,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 200_000,
        }).Build();
        void Report(DeliveryReport<byte[], byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        }

        var order = partitions is { } p and > 0
            ? Enumerable.Range(0, p).SelectMany(partition => Enumerable.Range(0, ((count - partition - 1) / p) + 1).Select(j => partition + (j * p))).Where(i => i < count)
            : Enumerable.Range(0, count);
        foreach (var i in order)
        {
            var record = message is null ? EventPayloads.Message(i) : message(i);
            var target = partitions is { } n and > 0 ? new TopicPartition(topic, i % n) : new TopicPartition(topic, Partition.Any);
            while (true)
            {
                try
                {
                    producer.Produce(target, record, Report);
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        if (producer.Flush(TimeSpan.FromMinutes(2)) > 0 || Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"producing {count} records to {topic}: {failed} failed or unacknowledged");
        }

        return clock.Elapsed;
    }

    /// <summary>A consumer of <paramref name="group"/> that never subscribes: it only reads the group's committed offsets.</summary>
    public IConsumer<byte[], byte[]> CommittedReader(string group)
        => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = group, EnableAutoCommit = false }).Build();

    /// <summary>Sum of the committed offsets of the reader's group over the partitions of <paramref name="topic"/>.</summary>
    public static long CommittedTotal(IConsumer<byte[], byte[]> reader, string topic, int partitions)
    {
        var committed = reader.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10));
        return committed.Sum(c => Math.Max(0, c.Offset.Value));
    }

    public void Dispose() => Embedded.Dispose();
}
