using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Reporting;
using Delivery.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// <c>Ordering: PerKey</c> vs <c>None</c> at p = 1% and 5% per-event transient failures, 1,000 keys (issue 15): the same
/// deterministic coin per event and attempt in both modes, the retry scenario's destination and retry schedule.
/// Reports throughput (events delivered or dead-lettered per second, first consumed → last resolved) side by side.
/// Run alone: <c>dotnet run -c Release --project tests/Delivery.Benchmarks -- --only ordering --out DIR</c>.
/// </summary>
internal static class OrderingScenario
{
    private const int Keys = 1_000;
    private const int MaxAttempts = 10;
    private static readonly double[] FailureRates = [0.01, 0.05];

    public static async Task<JsonObject> RunAsync(BenchContext context)
    {
        var n = context.Settings.RetryEvents;
        var topic = BenchCluster.Unique("bench-ordering-source");
        var partitions = Math.Max(6, (int)Math.Ceiling(n * 300.0 / (4 * 1024 * 1024)));
        context.Cluster.CreateTopic(topic, partitions);
        context.Cluster.Produce(topic, n, Message);
        var runs = new JsonArray();
        foreach (var p in FailureRates)
        {
            var none = await RunOnceAsync(context, topic, n, p, "None");
            var perKey = await RunOnceAsync(context, topic, n, p, "PerKey");
            runs.Add(none);
            runs.Add(perKey);
            var ratio = perKey["eventsPerSecond"]!.GetValue<double>() / Math.Max(1, none["eventsPerSecond"]!.GetValue<double>());
            var pct = (p * 100).ToString("0", CultureInfo.InvariantCulture);
            var complete = none["drained"]!.GetValue<bool>() && perKey["drained"]!.GetValue<bool>();
            context.Checks.Add(new Check("ordering", $"p = {pct}%, {Keys:N0} keys: PerKey throughput relative to None", Stats.Round(ratio, 3), "×", "reported (no target)", complete));
        }

        return new JsonObject
        {
            ["eventsPerRun"] = n,
            ["keys"] = Keys,
            ["sourcePartitions"] = partitions,
            ["failure"] = "per-slot 503 when hash(eventId, attempt) < p (same coin in both modes)",
            ["retry"] = $"MaxAttempts {MaxAttempts}, tier delays 50/100/200 ms, jitter 10%, batch 500, MaxWait 50 ms; PerKey holds them in place",
            ["timing"] = "first record consumed → last event delivered or dead-lettered",
            ["runs"] = runs,
        };
    }

    /// <summary>The benchmark record of <see cref="EventPayloads"/>, with key <c>key-{i % 1000}</c>.</summary>
    private static Message<byte[], byte[]> Message(int i)
    {
        var message = EventPayloads.Message(i);
        message.Key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"key-{i % Keys}"));
        return message;
    }

    private static async Task<JsonObject> RunOnceAsync(BenchContext context, string topic, int n, double p, string ordering)
    {
        var name = BenchCluster.Unique("ordering-" + ordering.ToLowerInvariant());
        var settings = WorkerHost.Settings(name, FlakyDestinationFactory.TypeName, topic);
        var prefix = $"Delivery:Destinations:{name}";
        settings[$"{prefix}:Ordering"] = ordering;
        settings[$"{prefix}:Batch:MaxWait"] = "00:00:00.050";
        settings[$"{prefix}:Retry:MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture);
        settings[$"{prefix}:Retry:Jitter"] = "0.1";
        settings[$"{prefix}:Retry:Delays:0"] = "00:00:00.050";
        settings[$"{prefix}:Retry:Delays:1"] = "00:00:00.100";
        settings[$"{prefix}:Retry:Delays:2"] = "00:00:00.200";
        var factory = new FlakyDestinationFactory(p, wholeBatch: false);
        using var probe = new DeliveryProbe(name);
        var host = await WorkerHost.StartAsync(context.Cluster.Embedded, settings, s => s.AddKeyedSingleton<IDestinationHandlerFactory>(FlakyDestinationFactory.TypeName, factory));
        var drained = true;
        try
        {
            await Poll.UntilAsync(() => probe.Delivered + probe.DeadLettered >= n, TimeSpan.FromMinutes(context.Settings.Full ? 10 : 2), $"{n} events are delivered or dead-lettered ({ordering}, p={p})", everyMs: 10);
        }
        catch (TimeoutException e)
        {
            drained = false;
            context.Log($"ordering {ordering} p={p}: {e.Message}; delivered {probe.Delivered}, dead-lettered {probe.DeadLettered}");
        }
        finally
        {
            await WorkerHost.StopAsync(host);
        }

        var drain = Stopwatch.GetElapsedTime(probe.FirstConsumedAt, probe.LastResolvedAt);
        var rate = (probe.Delivered + probe.DeadLettered) / Math.Max(drain.TotalSeconds, 1e-3);
        context.Log($"ordering {ordering} p={p:0.00}: {rate:N0} events/s, {drain.TotalSeconds:0.00}s, delivered {probe.Delivered:N0}, dead-lettered {probe.DeadLettered:N0}, requests {factory.Destination.Calls:N0}, sends {factory.Destination.Sends:N0}");
        return new JsonObject
        {
            ["ordering"] = ordering,
            ["p"] = p,
            ["events"] = n,
            ["drained"] = drained,
            ["delivered"] = probe.Delivered,
            ["deadLettered"] = probe.DeadLettered,
            ["reEnqueued"] = probe.Retried,
            ["requests"] = factory.Destination.Calls,
            ["sends"] = factory.Destination.Sends,
            ["meanBatch"] = Stats.Round((double)factory.Destination.Sends / Math.Max(1, factory.Destination.Calls), 1),
            ["drainSeconds"] = Stats.Round(drain.TotalSeconds),
            ["eventsPerSecond"] = Stats.Round(rate, 0),
        };
    }
}
