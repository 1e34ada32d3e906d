using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Reporting;
using Delivery.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// Timeliness, on the worker with an in-process destination of 50 ms service time (MaxConcurrent 4, MaxEvents 500:
/// capacity C × B / L = 40,000 events/s): end-to-end latency (source record timestamp → arrival at the destination)
/// at ~10% of capacity; retry due-time lateness (arrival of the second attempt − (first failure + tier delay), jitter
/// 0); and the time to drain the backlog a destination outage built while events kept arriving at 10% of capacity.
/// </summary>
internal static class TimelinessScenario
{
    private const int Concurrency = 4;
    private const int BatchSize = 500;
    private static readonly TimeSpan ServiceTime = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly double Capacity = Concurrency * BatchSize / ServiceTime.TotalSeconds;

    public static async Task<JsonObject> RunAsync(BenchContext context)
    {
        var full = context.Settings.Full;
        var latency = await LatencyAsync(context, TimeSpan.FromSeconds(full ? 30 : 10));
        var lateness = await LatenessAsync(context, full ? 20_000 : 4_000);
        var outage = await OutageAsync(context, TimeSpan.FromSeconds(30)); // the 30 s in both modes
        return new JsonObject
        {
            ["destination"] = "in-process handler, 50 ms service time, MaxConcurrent 4, MaxEvents 500, MaxWait 250 ms",
            ["capacityEventsPerSecond"] = Capacity,
            ["latency"] = latency,
            ["retryLateness"] = lateness,
            ["outage"] = outage,
        };
    }

    private static async Task<JsonObject> LatencyAsync(BenchContext context, TimeSpan measured)
    {
        var rate = Capacity / 10;
        var destination = new TimelineDestination(ServiceTime);
        var topic = BenchCluster.Unique("bench-latency");
        context.Cluster.CreateTopic(topic, 6);
        var (host, _) = await StartAsync(context, topic, destination, []);
        int warmup;
        int produced;
        try
        {
            using var producer = Producer(context);
            warmup = await ProducePacedAsync(producer, topic, 0, rate, TimeSpan.FromSeconds(2));
            produced = warmup + await ProducePacedAsync(producer, topic, warmup, rate, measured);
            producer.Flush(TimeSpan.FromSeconds(30));
            await Poll.UntilAsync(() => destination.Delivered >= produced, TimeSpan.FromMinutes(1), $"{produced} events delivered (latency)");
        }
        finally
        {
            await WorkerHost.StopAsync(host);
        }

        var samples = destination.Latencies(warmup);
        var (p50, p99) = (Percentile(samples, 0.50), Percentile(samples, 0.99));
        var limit = (MaxWait + TimeSpan.FromMilliseconds(50)).TotalMilliseconds;
        context.Log($"latency at {rate:N0} events/s ({rate / Capacity:P0} of capacity): p50 {p50:0.0} ms, p99 {p99:0.0} ms over {samples.Length:N0} events");
        var label = string.Create(CultureInfo.InvariantCulture, $"{rate:N0} events/s = 10% of C × B / L, {measured.TotalSeconds:0} s after a 2 s warm-up");
        context.Checks.Add(new Check("timeliness", $"end-to-end latency p50 (record timestamp → destination), {label}", Stats.Round(p50, 1), "ms", "reported", true));
        context.Checks.Add(new Check("timeliness", $"end-to-end latency p99 (record timestamp → destination), {label}", Stats.Round(p99, 1), "ms", string.Create(CultureInfo.InvariantCulture, $"≤ {limit:0} (MaxWait + 50 ms)"), p99 <= limit));
        return new JsonObject
        {
            ["eventsPerSecond"] = rate,
            ["measuredSeconds"] = measured.TotalSeconds,
            ["events"] = samples.Length,
            ["p50Ms"] = Stats.Round(p50, 1),
            ["p90Ms"] = Stats.Round(Percentile(samples, 0.90), 1),
            ["p99Ms"] = Stats.Round(p99, 1),
            ["maxMs"] = Stats.Round(samples.Length == 0 ? double.NaN : samples.Max(), 1),
            ["requests"] = destination.Calls,
        };
    }

    private static async Task<JsonObject> LatenessAsync(BenchContext context, int n)
    {
        var destination = new TimelineDestination(TimeSpan.Zero) { FailFirstAttempt = true, RetryDelay = RetryDelay };
        var topic = BenchCluster.Unique("bench-lateness");
        context.Cluster.CreateTopic(topic, 6);
        var (host, name) = await StartAsync(context, topic, destination, new()
        {
            ["Retry:Delays:0"] = "00:00:01",
            ["Retry:Jitter"] = "0",
        });
        try
        {
            // Spread over 4 s so that retries come due while new events keep arriving.
            using var producer = Producer(context);
            n = await ProducePacedAsync(producer, topic, 0, n / 4.0, TimeSpan.FromSeconds(4));
            producer.Flush(TimeSpan.FromSeconds(30));
            await Poll.UntilAsync(() => destination.Delivered >= n, TimeSpan.FromMinutes(2), $"{n} retried events delivered (lateness)");
        }
        finally
        {
            await WorkerHost.StopAsync(host);
        }

        // The figure the target is for: arrival of the second attempt − the delivery-not-before the worker stamped on
        // the retry record (read back from the tier topic; both are wall-clock UTC of this process).
        var stamped = StampedNotBefore(context, $"{name}.retry.1");
        var samples = destination.RetriedAt
            .Where(r => stamped.ContainsKey(r.Key))
            .Select(r => (r.Value - stamped[r.Key]).TotalMilliseconds)
            .ToArray();
        var upper = destination.Lateness();
        var (p50, p99) = (Percentile(samples, 0.50), Percentile(samples, 0.99));
        var upperP99 = Percentile(upper, 0.99);
        context.Log($"retry lateness ({samples.Length:N0} of {destination.RetriedAt.Count:N0} retries matched to their tier record, tier delay 1 s): p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {(samples.Length == 0 ? double.NaN : samples.Max()):0.0} ms; from the failure + delay: p99 {upperP99:0.0} ms; {destination.Calls:N0} handler calls for the first attempts and the retries");
        var label = string.Create(CultureInfo.InvariantCulture, $"{n:N0} events failed once, tier delay 1 s, jitter 0, Batch:MaxWait 250 ms (default)");
        var matched = samples.Length == n;
        context.Checks.Add(new Check("timeliness", $"retry due-time lateness p50 (stamped delivery-not-before → arrival), {label}", Stats.Round(p50, 1), "ms", "reported", true));
        context.Checks.Add(new Check("timeliness", $"retry due-time lateness p99 (stamped delivery-not-before → arrival), {label}", Stats.Round(p99, 1), "ms", "≤ 250", matched && p99 <= 250));
        context.Checks.Add(new Check("timeliness", $"retry lateness p99 measured from the failure + tier delay (upper bound of the above), {label}", Stats.Round(upperP99, 1), "ms", "reported", true));
        return new JsonObject
        {
            ["events"] = n,
            ["samples"] = samples.Length,
            ["tierDelayMs"] = RetryDelay.TotalMilliseconds,
            ["p50Ms"] = Stats.Round(p50, 1),
            ["p90Ms"] = Stats.Round(Percentile(samples, 0.90), 1),
            ["p99Ms"] = Stats.Round(p99, 1),
            ["maxMs"] = Stats.Round(samples.Length == 0 ? double.NaN : samples.Max(), 1),
            ["minMs"] = Stats.Round(samples.Length == 0 ? double.NaN : samples.Min(), 1),
            ["upperBoundP50Ms"] = Stats.Round(Percentile(upper, 0.50), 1),
            ["upperBoundP99Ms"] = Stats.Round(upperP99, 1),
            ["handlerCalls"] = destination.Calls,
        };
    }

    /// <summary>The <c>delivery-not-before</c> of every record of <paramref name="tierTopic"/>, by event id.</summary>
    private static Dictionary<string, DateTimeOffset> StampedNotBefore(BenchContext context, string tierTopic)
    {
        var stamped = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = context.Cluster.BootstrapServers,
            GroupId = BenchCluster.Unique("bench-lateness-reader"),
            EnableAutoCommit = false,
        }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = context.Cluster.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(tierTopic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => new TopicPartition(tierTopic, p.PartitionId)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var remaining = ends.Count(e => e.Value > 0);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (remaining > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            var headers = result.Message.Headers;
            if (headers.TryGetLastBytes("delivery-event-id", out var id) && headers.TryGetLastBytes("delivery-not-before", out var due)
                && long.TryParse(System.Text.Encoding.ASCII.GetString(due), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                stamped.TryAdd(System.Text.Encoding.UTF8.GetString(id), DateTimeOffset.FromUnixTimeMilliseconds(ms));
            }

            if (result.Offset.Value + 1 == ends[result.Partition.Value])
            {
                remaining--;
            }
        }

        return stamped;
    }

    private static async Task<JsonObject> OutageAsync(BenchContext context, TimeSpan outage)
    {
        var rate = Capacity / 10;
        var destination = new TimelineDestination(ServiceTime);
        var topic = BenchCluster.Unique("bench-outage");
        // ~130,000 records of ~270 B by the end of the outage: 24 partitions keep each well under the mock broker's
        // 5 MB per partition (it drops the oldest record batches beyond that).
        context.Cluster.CreateTopic(topic, 24);
        var (host, _) = await StartAsync(context, topic, destination, [], hold: true);
        TimeSpan drain;
        int backlog;
        try
        {
            // Lingering 100 ms: the mock broker answers a fetch with one record batch per partition, so the 1 ms batches
            // of the latency runs would make the drain measure the broker (~6,000 events/s) instead of the worker.
            using var producer = Producer(context, lingerMs: 100);
            var next = await ProducePacedAsync(producer, topic, 0, rate, TimeSpan.FromSeconds(2));
            destination.Down = true;
            next += await ProducePacedAsync(producer, topic, next, rate, outage);
            producer.Flush(TimeSpan.FromSeconds(30));
            backlog = next - (int)destination.Delivered;
            destination.SetThreshold(next);
            destination.Down = false;
            var up = Stopwatch.GetTimestamp();

            // Events keep arriving at the same rate while the backlog drains.
            using var keepGoing = new CancellationTokenSource();
            var after = ProducePacedAsync(producer, topic, next, rate, TimeSpan.FromMinutes(2), keepGoing.Token);
            await Poll.UntilAsync(() => destination.DeliveredBelowThreshold >= next, TimeSpan.FromMinutes(2), $"the {next} events produced up to the outage's end are delivered", everyMs: 5);
            drain = Stopwatch.GetElapsedTime(up);
            await keepGoing.CancelAsync();
            await after;
        }
        finally
        {
            await WorkerHost.StopAsync(host);
        }

        context.Log($"outage {outage.TotalSeconds:0} s at {rate:N0} events/s: backlog {backlog:N0} events drained in {drain.TotalSeconds:0.00} s");
        var ideal = backlog / (Capacity - rate);
        context.Checks.Add(new Check("timeliness", string.Create(CultureInfo.InvariantCulture, $"time to drain the backlog of a {outage.TotalSeconds:0} s outage, {rate:N0} events/s arriving throughout, HoldMaxBackoff 1 s"), Stats.Round(drain.TotalSeconds, 2), "s",
            string.Create(CultureInfo.InvariantCulture, $"reported (ideal {ideal:0.00} s = backlog ÷ (capacity − arrival) + ≤ 1 s hold back-off)"), true));
        return new JsonObject
        {
            ["outageSeconds"] = outage.TotalSeconds,
            ["eventsPerSecond"] = rate,
            ["backlogEvents"] = backlog,
            ["drainSeconds"] = Stats.Round(drain.TotalSeconds, 3),
            ["idealDrainSeconds"] = Stats.Round(ideal, 3),
            ["holdMaxBackoff"] = "00:00:01",
        };
    }

    private static async Task<(Microsoft.Extensions.Hosting.IHost Host, string Name)> StartAsync(BenchContext context, string topic, TimelineDestination destination, Dictionary<string, string> batch, bool hold = false)
    {
        var name = BenchCluster.Unique("timeline");
        var settings = WorkerHost.Settings(name, TimelineDestinationFactory.TypeName, topic);
        var prefix = $"Delivery:Destinations:{name}";
        settings[$"{prefix}:Batch:MaxWait"] = "00:00:00.250";
        foreach (var (key, value) in batch)
        {
            settings[$"{prefix}:{key}"] = value;
        }

        if (hold)
        {
            settings["Delivery:Pipeline:HoldInitialBackoff"] = "00:00:00.100";
            settings["Delivery:Pipeline:HoldMaxBackoff"] = "00:00:01";
            settings["Delivery:Pipeline:CircuitBreakDuration"] = "00:00:00.500";
        }

        var factory = new TimelineDestinationFactory(destination);
        var host = await WorkerHost.StartAsync(context.Cluster.Embedded, settings, s => s.AddKeyedSingleton<IDestinationHandlerFactory>(TimelineDestinationFactory.TypeName, factory));
        return (host, name);
    }

    private static IProducer<byte[], byte[]> Producer(BenchContext context, int lingerMs = 1) => new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        BootstrapServers = context.Cluster.BootstrapServers,
        Acks = Acks.Leader,
        EnableIdempotence = false,
        LingerMs = lingerMs,
        BatchSize = 1_000_000,
    }).Build();

    /// <summary>Produces records <paramref name="from"/>… at <paramref name="rate"/> per second for <paramref name="duration"/> (10 ms ticks); returns the count.</summary>
    private static async Task<int> ProducePacedAsync(IProducer<byte[], byte[]> producer, string topic, int from, double rate, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var count = 0;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
        {
            var due = (int)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate);
            while (count < due)
            {
                producer.Produce(topic, EventPayloads.Message(from + count));
                count++;
            }

            try
            {
                await tick.WaitForNextTickAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return count;
    }

    private static double Percentile(double[] values, double q)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
