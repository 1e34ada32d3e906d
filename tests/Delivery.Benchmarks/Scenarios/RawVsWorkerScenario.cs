using System.Diagnostics;
using System.Globalization;
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
        var n = context.Settings.RawEvents;
        var partitions = Math.Max(6, (int)Math.Ceiling(n * 300.0 / (4 * 1024 * 1024)));
        var topic = BenchCluster.Unique("bench-raw");
        context.Cluster.CreateTopic(topic, partitions);
        var took = context.Cluster.Produce(topic, n, partitions: partitions);
        context.Log($"pre-produced {n:N0} records to {topic} ({partitions} partitions) in {took.TotalSeconds:0.0}s");
        var source = new RawSource(topic, n, partitions);
        var defaults = await RunVariantAsync(context, source, WorkerDefaults);
        var tuned = await RunVariantAsync(context, source, Tuned);
        var ratio = defaults["ratioMedian"]!.GetValue<double>();
        context.RawEventsPerSecond = defaults["rawEventsPerSecondMedian"]!.GetValue<double>();
        context.Checks.Add(new Check("raw vs worker", "worker ÷ bare consume loop (NoOp, batch 500), worker's default consumer settings on both (fetch.queue.backoff.ms=20, fetch.wait.max.ms=100)", ratio, "×", "≥ 0.8", ratio >= 0.8));
        var tunedRatio = tuned["ratioMedian"]!.GetValue<double>();
        context.Checks.Add(new Check("raw vs worker", "worker ÷ bare consume loop (NoOp, batch 500), fetch.queue.backoff.ms=10 (fetch.wait.max.ms=100) on both", tunedRatio, "×", "≥ 0.8", tunedRatio >= 0.8,
            "same records, same run; with librdkafka's 1 s fetch-queue back-off removed the bare loop shows the real ceiling"));
        var allocated = defaults["workerAllocatedBytesPerEventMedian"]!.GetValue<double>();
        context.Checks.Add(new Check("raw vs worker", "worker (NoOp) allocated per event, whole round with host start and stop (default consumer settings; the steady-state figure with its target is under memory)", allocated, "B", "reported", true,
            string.Create(CultureInfo.InvariantCulture, $"bare consume loop: {defaults["rawAllocatedBytesPerEventMedian"]} B")));
        var perCore = defaults["workerEventsPerCpuSecondMedian"]!.GetValue<double>();
        context.Checks.Add(new Check("raw vs worker", "worker (NoOp) events/s per CPU core (events ÷ CPU seconds of the bench process, which hosts the embedded broker too; default consumer settings)", perCore, "events/s/core", "reported",
            true, string.Create(CultureInfo.InvariantCulture, $"bare consume loop: {defaults["rawEventsPerCpuSecondMedian"]} events/s/core")));
        return new JsonObject
        {
            ["events"] = n,
            ["partitions"] = partitions,
            ["batchMaxEvents"] = 500,
            ["commitInterval"] = "100 ms",
            ["timing"] = "first record consumed → N consumed (raw) / N delivered and committed (worker)",
            ["defaults"] = defaults,
            ["tuned"] = tuned,
        };
    }

    private static async Task<JsonObject> RunVariantAsync(BenchContext context, RawSource source, Dictionary<string, string> client)
    {
        var (topic, n, partitions) = source;
        var label = client.Count == 0 ? "defaults" : string.Join(",", client.Select(p => $"{p.Key}={p.Value}"));
        var rounds = new JsonArray();
        var ratios = new List<double>();
        var raws = new List<double>();
        var workers = new List<double>();
        var allocations = new List<double>();
        var rawAllocations = new List<double>();
        var perCore = new List<double>();
        var rawPerCore = new List<double>();
        var shortest = double.MaxValue;
        for (var round = 1; round <= context.Settings.RawRounds; round++)
        {
            GcSample.Settle();
            var cpu = CpuSample.Start();
            var rawGc = GcSample.Start();
            var raw = await Task.Factory.StartNew(() => RawConsume(context.Cluster, topic, n, client), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            raw = WithCpu(raw, cpu);
            var rawGcDelta = rawGc.Stop();
            context.Log($"raw ({label}) round {round}: {raw.EventsPerSecond:N0} events/s ({raw.Elapsed.TotalSeconds:0.00}s, {raw.CpuMicrosecondsPerEvent:0.0} µs CPU/event, {raw.AllocatedBytesPerEvent:0} B allocated/event, others busy {raw.OtherCores:0.0} cores)");
            GcSample.Settle();
            cpu = CpuSample.Start();
            using var sampler = AllocationSampler.Enabled ? new AllocationSampler() : null;
            sampler?.Start();
            var workerGc = GcSample.Start();
            var worker = WithCpu(await WorkerConsumeAsync(context.Cluster, topic, n, partitions, client), cpu);
            var workerGcDelta = workerGc.Stop();
            if (sampler is not null)
            {
                context.Log($"allocation by type (worker round, sampled):\n{sampler.Stop()}");
            }

            context.Log($"worker ({label}) round {round}: {worker.EventsPerSecond:N0} events/s delivered+committed ({worker.Elapsed.TotalSeconds:0.00}s; last delivery at {worker.DeliveredElapsed.TotalSeconds:0.00}s, {worker.CpuMicrosecondsPerEvent:0.0} µs CPU/event, {worker.AllocatedBytesPerEvent:0} B allocated/event, others busy {worker.OtherCores:0.0} cores)");
            context.Log($"  GC pauses bare {rawGcDelta.PauseMs:0} ms ({rawGcDelta.Collections} collections), worker {workerGcDelta.PauseMs:0} ms ({workerGcDelta.Collections} collections, {workerGcDelta.Gen1OrOlder} gen1+)");
            var ratio = worker.EventsPerSecond / raw.EventsPerSecond;
            ratios.Add(ratio);
            raws.Add(raw.EventsPerSecond);
            workers.Add(worker.EventsPerSecond);
            allocations.Add(worker.AllocatedBytesPerEvent);
            rawAllocations.Add(raw.AllocatedBytesPerEvent);
            perCore.Add(n / worker.ProcessCpuSeconds);
            rawPerCore.Add(n / raw.ProcessCpuSeconds);
            shortest = Math.Min(shortest, Math.Min(raw.Elapsed.TotalSeconds, worker.Elapsed.TotalSeconds));
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
                ["bareGcPauseMs"] = Stats.Round(rawGcDelta.PauseMs, 1),
                ["workerGcPauseMs"] = Stats.Round(workerGcDelta.PauseMs, 1),
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
            ["shortestRoundSeconds"] = Stats.Round(shortest),
            ["workerAllocatedBytesPerEventMedian"] = Stats.Round(Stats.Median(allocations), 0),
            ["rawAllocatedBytesPerEventMedian"] = Stats.Round(Stats.Median(rawAllocations), 0),
            ["workerEventsPerCpuSecondMedian"] = Stats.Round(Stats.Median(perCore), 0),
            ["rawEventsPerCpuSecondMedian"] = Stats.Round(Stats.Median(rawPerCore), 0),
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
