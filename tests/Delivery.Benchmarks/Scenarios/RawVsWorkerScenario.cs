using System.Diagnostics;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Reporting;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// Raw vs worker: a bare Confluent.Kafka consume loop over the pre-produced records (the ceiling of this machine)
/// vs the real pipeline with the NoOp destination (batch 500) until every record is delivered and committed.
/// Rounds alternate back to back; the figure is the median of the per-round ratios.
/// </summary>
internal static class RawVsWorkerScenario
{
    public static async Task<JsonObject> RunAsync(BenchContext context)
    {
        var n = context.Settings.Events;
        var topic = context.SourceTopic;
        var rounds = new JsonArray();
        var ratios = new List<double>();
        var raws = new List<double>();
        var workers = new List<double>();
        for (var round = 1; round <= context.Settings.Rounds; round++)
        {
            var cpu = CpuSample.Start();
            var raw = await Task.Factory.StartNew(() => RawConsume(context.Cluster, topic, n), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            raw = WithCpu(raw, cpu);
            context.Log($"raw round {round}: {raw.EventsPerSecond:N0} events/s ({raw.Elapsed.TotalSeconds:0.00}s, {raw.CpuMicrosecondsPerEvent:0.0} µs CPU/event, others busy {raw.OtherCores:0.0} cores)");
            cpu = CpuSample.Start();
            var worker = WithCpu(await WorkerConsumeAsync(context.Cluster, topic, n, context.Partitions), cpu);
            context.Log($"worker round {round}: {worker.EventsPerSecond:N0} events/s delivered+committed ({worker.Elapsed.TotalSeconds:0.00}s; last delivery at {worker.DeliveredElapsed.TotalSeconds:0.00}s, {worker.CpuMicrosecondsPerEvent:0.0} µs CPU/event, others busy {worker.OtherCores:0.0} cores)");
            var ratio = worker.EventsPerSecond / raw.EventsPerSecond;
            ratios.Add(ratio);
            raws.Add(raw.EventsPerSecond);
            workers.Add(worker.EventsPerSecond);
            rounds.Add(new JsonObject
            {
                ["round"] = round,
                ["rawEventsPerSecond"] = Stats.Round(raw.EventsPerSecond, 0),
                ["rawSeconds"] = Stats.Round(raw.Elapsed.TotalSeconds),
                ["workerEventsPerSecond"] = Stats.Round(worker.EventsPerSecond, 0),
                ["workerSeconds"] = Stats.Round(worker.Elapsed.TotalSeconds),
                ["workerSecondsToLastDelivery"] = Stats.Round(worker.DeliveredElapsed.TotalSeconds),
                ["rawCpuMicrosecondsPerEvent"] = Stats.Round(raw.CpuMicrosecondsPerEvent, 2),
                ["workerCpuMicrosecondsPerEvent"] = Stats.Round(worker.CpuMicrosecondsPerEvent, 2),
                ["otherProcessesBusyCores"] = Stats.Round((raw.OtherCores + worker.OtherCores) / 2, 2),
                ["ratio"] = Stats.Round(ratio),
            });
        }

        var median = Stats.Median(ratios);
        context.RawEventsPerSecond = Stats.Median(raws);
        context.Checks.Add(new Check("raw vs worker", "worker ÷ raw consume throughput (NoOp, batch 500)", Stats.Round(median), "×", "≥ 0.8", median >= 0.8));
        return new JsonObject
        {
            ["events"] = n,
            ["partitions"] = context.Partitions,
            ["batchMaxEvents"] = 500,
            ["commitInterval"] = "100 ms",
            ["timing"] = "first record consumed → N consumed (raw) / N delivered and committed (worker)",
            ["rawEventsPerSecondMedian"] = Stats.Round(Stats.Median(raws), 0),
            ["workerEventsPerSecondMedian"] = Stats.Round(Stats.Median(workers), 0),
            ["ratioMedian"] = Stats.Round(median),
            ["target"] = 0.8,
            ["pass"] = median >= 0.8,
            ["rounds"] = rounds,
        };
    }

    /// <summary>Adds the CPU accounting of <paramref name="cpu"/> (setup and teardown included) to a run.</summary>
    public static Throughput WithCpu(Throughput run, CpuSample cpu)
    {
        var (process, _, others) = cpu.Stop();
        return run with { ProcessCpuSeconds = process, OtherCores = others };
    }

    private static Throughput RawConsume(BenchCluster cluster, string topic, int n)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = BenchCluster.Unique("raw"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var deadline = Stopwatch.StartNew();
        long first = 0;
        long bytes = 0;
        var count = 0;
        while (count < n)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                if (deadline.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"raw consumer read {count} of {n}");
                }

                continue;
            }

            if (first == 0)
            {
                first = Stopwatch.GetTimestamp();
            }

            bytes += result.Message.Value.Length;
            count++;
        }

        var elapsed = Stopwatch.GetElapsedTime(first);
        consumer.Close();
        return new Throughput(n, elapsed, elapsed);
    }

    private static async Task<Throughput> WorkerConsumeAsync(BenchCluster cluster, string topic, int n, int partitions)
    {
        var name = BenchCluster.Unique("noop");
        using var probe = new DeliveryProbe(name);
        using var committed = cluster.CommittedReader($"delivery.{name}");
        var host = await WorkerHost.StartAsync(cluster.Embedded, WorkerHost.Settings(name, "NoOp", topic));
        try
        {
            await Poll.UntilAsync(() => probe.Delivered >= n, TimeSpan.FromMinutes(5), $"{n} events are delivered");
            await Poll.UntilAsync(() => BenchCluster.CommittedTotal(committed, topic, partitions) >= n, TimeSpan.FromSeconds(30), "every offset is committed", everyMs: 10);
            var elapsed = Stopwatch.GetElapsedTime(probe.FirstConsumedAt);
            var delivered = Stopwatch.GetElapsedTime(probe.FirstConsumedAt, probe.LastResolvedAt);
            return new Throughput(n, elapsed, delivered);
        }
        finally
        {
            await WorkerHost.StopAsync(host);
        }
    }
}
