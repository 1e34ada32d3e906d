using Confluent.Kafka;

namespace Delivery.Worker.Demo;

/// <summary>Counts read back from the broker: records in topics, and a group's committed-offset lag.</summary>
internal static class DemoKafkaCounts
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Records in <paramref name="topic"/> (sum of high − low watermarks; 0 when it does not exist).</summary>
    public static long Records(string bootstrapServers, string topic)
    {
        using var consumer = Consumer(bootstrapServers, $"delivery-demo-count-{Guid.NewGuid():N}");
        return Partitions(bootstrapServers, topic).Sum(p =>
        {
            var w = consumer.QueryWatermarkOffsets(p, Timeout);
            return w.High.Value - Math.Max(0, w.Low.Value);
        });
    }

    /// <summary>Records of <paramref name="topics"/> after <paramref name="group"/>'s committed offsets.</summary>
    public static long Lag(string bootstrapServers, string group, IEnumerable<string> topics)
    {
        using var consumer = Consumer(bootstrapServers, group);
        long lag = 0;
        foreach (var topic in topics)
        {
            var partitions = Partitions(bootstrapServers, topic);
            if (partitions.Count == 0)
            {
                continue;
            }

            foreach (var committed in consumer.Committed(partitions, Timeout))
            {
                var w = consumer.QueryWatermarkOffsets(committed.TopicPartition, Timeout);
                var from = committed.Offset.Value >= 0 ? committed.Offset.Value : Math.Max(0, w.Low.Value);
                lag += Math.Max(0, w.High.Value - from);
            }
        }

        return lag;
    }

    private static IConsumer<byte[], byte[]> Consumer(string bootstrapServers, string group) =>
        new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group, EnableAutoCommit = false, ClientId = "delivery-worker-demo-counts" }).Build();

    private static List<TopicPartition> Partitions(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, Timeout).Topics.FirstOrDefault(t => t.Topic == topic);
        return metadata is null || metadata.Error.IsError ? [] : [.. metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId))];
    }
}
