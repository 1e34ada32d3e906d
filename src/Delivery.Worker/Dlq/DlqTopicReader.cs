using Confluent.Kafka;

namespace Delivery.Worker.Dlq;

/// <summary>
/// Reads a topic from given positions up to the high watermarks seen when reading starts (records dead-lettered
/// meanwhile are left for the next run). Partitions are assigned, not subscribed: no rebalance, no group join.
/// </summary>
internal static class DlqTopicReader
{
    /// <summary>The partitions of <paramref name="topic"/> and their (low, high) watermarks; empty when the topic does not exist.</summary>
    public static IReadOnlyList<(TopicPartition Partition, long Low, long High)> Watermarks(IConsumer<byte[], byte[]> consumer, IAdminClient admin, string topic, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(admin);
        var metadata = admin.GetMetadata(topic, timeout);
        var info = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        if (info is null || info.Error.Code == ErrorCode.UnknownTopicOrPart || info.Partitions.Count == 0)
        {
            return [];
        }

        return [.. info.Partitions
            .OrderBy(static p => p.PartitionId)
            .Select(p =>
            {
                var tp = new TopicPartition(topic, p.PartitionId);
                var w = consumer.QueryWatermarkOffsets(tp, timeout);
                return (tp, w.Low.Value, w.High.Value);
            })];
    }

    /// <summary>
    /// Reads every partition from <paramref name="start"/> (clamped to the low watermark) to its high watermark, in
    /// partition order and offset order within a partition.
    /// </summary>
    public static IEnumerable<ConsumeResult<byte[], byte[]>> Read(
        IConsumer<byte[], byte[]> consumer,
        IReadOnlyList<(TopicPartition Partition, long Low, long High)> partitions,
        Func<TopicPartition, long> start,
        TimeSpan idleTimeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(start);
        foreach (var (partition, low, high) in partitions)
        {
            var from = Math.Max(low, start(partition));
            if (from >= high)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(partition, new Offset(from)));
            var next = from;
            var idleSince = Environment.TickCount64;
            while (next < high)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null || result.IsPartitionEOF)
                {
                    if (consumer.Position(partition).Value is var position && position >= high)
                    {
                        break; // the rest up to the watermark were not data records (e.g. transaction markers)
                    }

                    if (Environment.TickCount64 - idleSince > idleTimeout.TotalMilliseconds)
                    {
                        throw new TimeoutException($"{partition}: no record at offset {next} within {idleTimeout} (high watermark {high})");
                    }

                    continue;
                }

                idleSince = Environment.TickCount64;
                next = result.Offset.Value + 1;
                if (result.Offset.Value < high)
                {
                    yield return result;
                }
            }

            consumer.Unassign();
        }
    }
}
