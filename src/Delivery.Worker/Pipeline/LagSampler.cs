using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Delivery.Worker.Kafka;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Every 2 s (TimeProvider): lag = high watermark minus the next offset to consume, summed over the assigned
/// partitions of the registry's snapshot. It asks the broker through a client of its own (never the consume loop's
/// consumer, which only the loop may call): watermarks always, the group's committed offset for a partition nothing
/// was consumed from yet in this assignment. Runs on its own task so a slow broker never stalls consumption.
/// </summary>
internal sealed class LagSampler(string destination, string consumerGroup, PartitionRegistry registry, KafkaClientFactory clients, PipelineRun run, TimeProvider time, ILogger logger)
{
    /// <summary>How often lag is sampled.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(1);
    private long _lag;

    /// <summary>The last sample.</summary>
    public long Lag => Interlocked.Read(ref _lag);

    /// <summary>Samples until the run is aborted.</summary>
    public async Task RunAsync()
    {
        IConsumer<byte[], byte[]>? client = null;
        try
        {
            while (!run.IsAborted)
            {
                try
                {
                    await Task.Delay(Interval, time, run.Aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var partitions = registry.Snapshot;
                if (partitions.Count == 0)
                {
                    Interlocked.Exchange(ref _lag, 0);
                    continue;
                }

                client ??= BuildClient();
                Interlocked.Exchange(ref _lag, Sample(client, partitions));
            }
        }
        finally
        {
            client?.Dispose();
        }
    }

    /// <summary>A client that never joins the group (no subscription, no static membership): it only asks.</summary>
    private IConsumer<byte[], byte[]> BuildClient()
    {
        var config = clients.ConsumerConfig(consumerGroup, $"delivery-worker-{destination}-lag");
        config.GroupInstanceId = null;
        return new ConsumerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, message) => KafkaLogBridge.Log(logger, destination, message))
            .Build();
    }

    private static long Sample(IConsumer<byte[], byte[]> client, IReadOnlyList<PartitionState> partitions)
    {
        long lag = 0;
        var highs = new Dictionary<TopicPartition, long>();
        foreach (var state in partitions)
        {
            try
            {
                var high = client.QueryWatermarkOffsets(state.Partition, QueryTimeout).High.Value;
                if (high < 0)
                {
                    continue;
                }

                var tracked = state.LastTracked;
                if (tracked >= 0)
                {
                    lag += Math.Max(0, high - (tracked + 1));
                }
                else
                {
                    highs[state.Partition] = high;
                }
            }
            catch (Exception e) when (e is KafkaException or ObjectDisposedException or InvalidOperationException)
            {
                // Unknown for now: left out of this reading.
            }
        }

        if (highs.Count == 0)
        {
            return lag;
        }

        try
        {
            foreach (var committed in client.Committed(highs.Keys, QueryTimeout))
            {
                if (committed.Offset.Value >= 0 && highs.TryGetValue(committed.TopicPartition, out var high))
                {
                    lag += Math.Max(0, high - committed.Offset.Value);
                }
            }
        }
        catch (Exception e) when (e is KafkaException or ObjectDisposedException or InvalidOperationException)
        {
            // Unknown for now: left out of this reading.
        }

        return lag;
    }
}
