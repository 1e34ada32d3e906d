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
    /// <summary>librdkafka keys of the tuned variant, given to both the bare consumer and the worker.</summary>
    private static readonly Dictionary<string, string> Tuned = new(StringComparer.Ordinal) { ["fetch.queue.backoff.ms"] = "10", ["fetch.wait.max.ms"] = "100" };

    /// <summary>
    /// The consumer settings the worker applies by default (KafkaClientFactory.ConsumerConfig: fetch.queue.backoff.ms=20,
    /// fetch.wait.max.ms=100), given to both sides so the default variant is like for like.
    /// </summary>
    private static readonly Dictionary<string, string> WorkerDefaults = new(StringComparer.Ordinal)
    {
        ["fetch.queue.backoff.ms"] = "20",
        ["fetch.wait.max.ms"] = "100",
    };

    public static async Task<JsonObject> RunAsync(BenchContext context)
    {
        var defaults = await RunVariantAsync(context, WorkerDefaults);
        var tuned = await RunVariantAsync(context, Tuned);
        var ratio = defaults["ratioMedian"]!.GetValue<double>();
        context.RawEventsPerSecond = defaults["rawEventsPerSecondMedian"]!.GetValue<double>();
        context.Checks.Add(new Check("raw vs worker", "worker ÷ bare consume loop (NoOp, batch 500), worker's default consumer settings on both (fetch.queue.backoff.ms=20, fetch.wait.max.ms=100)", ratio, "×", "≥ 0.8", ratio >= 0.8));
        var tunedRatio = tuned["ratioMedian"]!.GetValue<double>();
        context.Checks.Add(new Check("raw vs worker", "worker ÷ bare consume loop (NoOp, batch 500), fetch.queue.backoff.ms=10 (fetch.wait.max.ms=100) on both", tunedRatio, "×", "≥ 0.8", tunedRatio >= 0.8,
            "same records, same run; with librdkafka's 1 s fetch-queue back-off removed the bare loop shows the real ceiling"));
        return new JsonObject
        {
            ["events"] = context.Settings.Events,
            ["partitions"] = context.Partitions,
            ["batchMaxEvents"] = 500,
            ["commitInterval"] = "100 ms",
            ["timing"] = "first record consumed → N consumed (raw) / N delivered and committed (worker)",
            ["defaults"] = defaults,
            ["tuned"] = tuned,
        };
    }

    private static async Task<JsonObject> RunVariantAsync(BenchContext context, Dictionary<string, string> client)
    {
        var n = context.Settings.Events;
        var topic = context.SourceTopic;
        var label = client.Count == 0 ? "defaults" : string.Join(",", client.Select(p => $"{p.Key}={p.Value}"));
        var rounds = new JsonArray();
        var ratios = new List<double>();
        var raws = new List<double>();
        var workers = new List<double>();
        for (var round = 1; round <= context.Settings.Rounds; round++)
        {
            var cpu = CpuSample.Start();
            var raw = await Task.Factory.StartNew(() => RawConsume(context.Cluster, topic, n, client), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            raw = WithCpu(raw, cpu);
            context.Log($"raw ({label}) round {round}: {raw.EventsPerSecond:N0} events/s ({raw.Elapsed.TotalSeconds:0.00}s, {raw.CpuMicrosecondsPerEvent:0.0} µs CPU/event, {raw.AllocatedBytesPerEvent:0} B allocated/event, others busy {raw.OtherCores:0.0} cores)");
            cpu = CpuSample.Start();
            var worker = WithCpu(await WorkerConsumeAsync(context.Cluster, topic, n, context.Partitions, client), cpu);
            context.Log($"worker ({label}) round {round}: {worker.EventsPerSecond:N0} events/s delivered+committed ({worker.Elapsed.TotalSeconds:0.00}s; last delivery at {worker.DeliveredElapsed.TotalSeconds:0.00}s, {worker.CpuMicrosecondsPerEvent:0.0} µs CPU/event, {worker.AllocatedBytesPerEvent:0} B allocated/event, others busy {worker.OtherCores:0.0} cores)");
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
                ["rawAllocatedBytesPerEvent"] = Stats.Round(raw.AllocatedBytesPerEvent, 0),
                ["workerAllocatedBytesPerEvent"] = Stats.Round(worker.AllocatedBytesPerEvent, 0),
                ["otherProcessesBusyCores"] = Stats.Round((raw.OtherCores + worker.OtherCores) / 2, 2),
                ["ratio"] = Stats.Round(ratio),
            });
        }

        var median = Stats.Median(ratios);
        return new JsonObject
        {
            ["librdkafka"] = label,
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
        return run with { ProcessCpuSeconds = process, OtherCores = others, AllocatedBytes = cpu.AllocatedBytes };
    }

    private static Throughput RawConsume(BenchCluster cluster, string topic, int n, Dictionary<string, string> client)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig(new Dictionary<string, string>(client, StringComparer.Ordinal))
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

    private static async Task<Throughput> WorkerConsumeAsync(BenchCluster cluster, string topic, int n, int partitions, Dictionary<string, string> client)
    {
        var name = BenchCluster.Unique("noop");
        var settings = WorkerHost.Settings(name, "NoOp", topic);
        foreach (var (key, value) in client)
        {
            settings[$"Delivery:Kafka:Client:{key}"] = value;
        }

        using var probe = new DeliveryProbe(name);
        using var committed = cluster.CommittedReader($"delivery.{name}");
        var host = await WorkerHost.StartAsync(cluster.Embedded, settings);
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
