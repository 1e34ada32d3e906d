using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Delivery.Benchmarks.Infrastructure;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// Diagnostic (<c>--only pause</c>, not part of the default run): how long a consumer configured like the worker's
/// (manual offset store, fetch.wait.max.ms 100) takes to return records again after Pause → 250 ms → Resume of all its
/// partitions, i.e. the cost of one backpressure cycle.
/// </summary>
internal static class PauseResumeDiagnostic
{
    public static void Run(BenchContext context, IReadOnlyDictionary<string, string> extra)
    {
        var config = new ConsumerConfig(extra.ToDictionary(p => p.Key, p => p.Value))
        {
            BootstrapServers = context.Cluster.BootstrapServers,
            GroupId = BenchCluster.Unique("pause"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 100,
        };
        var topic = context.SourceTopic;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Subscribe(topic);
        var count = 0;
        var gaps = new List<double>();
        while (count < context.Settings.Events - 25_000 && gaps.Count < 6)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            count++;
            if (count % 20_000 == 0)
            {
                var assignment = consumer.Assignment;
                consumer.Pause(assignment);
                var paused = Stopwatch.StartNew();
                while (paused.Elapsed < TimeSpan.FromMilliseconds(250))
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } leaked)
                    {
                        context.Log($"pause: record returned while paused ({leaked.TopicPartitionOffset})");
                    }
                }

                consumer.Resume(assignment);
                var resumed = Stopwatch.StartNew();
                ConsumeResult<byte[], byte[]>? next = null;
                while (next is null && resumed.Elapsed < TimeSpan.FromSeconds(10))
                {
                    next = consumer.Consume(TimeSpan.FromMilliseconds(10));
                }

                gaps.Add(resumed.Elapsed.TotalMilliseconds);
                count++;
            }
        }

        consumer.Close();
        var settings = extra.Count == 0 ? "worker defaults" : string.Join(", ", extra.Select(p => $"{p.Key}={p.Value}"));
        context.Log(string.Create(CultureInfo.InvariantCulture, $"pause/resume ({settings}): first record after Resume in {string.Join(", ", gaps.Select(g => g.ToString("0", CultureInfo.InvariantCulture)))} ms"));
    }
}
