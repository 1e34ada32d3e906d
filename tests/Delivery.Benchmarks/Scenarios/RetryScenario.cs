using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Reporting;
using Delivery.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// Selective vs whole-batch retry at p = 1%, 5%, 20% per-event transient failures (the same deterministic coin per
/// event and attempt in both modes). Selective is the real pipeline with per-slot 503s; whole-batch wraps the same
/// destination so that one failed slot fails the batch. Reports destination sends per delivered event, events
/// dead-lettered and time to drain.
/// </summary>
internal static class RetryScenario
{
    private static readonly double[] FailureRates = [0.01, 0.05, 0.20];
    private const int MaxAttempts = 10;

    public static async Task<JsonObject> RunAsync(BenchContext context)
    {
        var n = context.Settings.RetryEvents;
        var topic = BenchCluster.Unique("bench-retry-source");
        context.Cluster.CreateTopic(topic, SourcePartitions(n));
        context.Cluster.Produce(topic, n);
        var runs = new JsonArray();
        foreach (var p in FailureRates)
        {
            foreach (var wholeBatch in new[] { false, true })
            {
                var run = await RunOnceAsync(context, topic, n, p, wholeBatch);
                runs.Add(run);
                if (!wholeBatch)
                {
                    var limit = 1.02 / (1 - p);
                    var sends = run["sendsPerDeliveredEvent"]!.GetValue<double>();
                    var dead = run["deadLettered"]!.GetValue<long>();
                    var complete = run["drained"]!.GetValue<bool>();
                    var pct = (p * 100).ToString("0", CultureInfo.InvariantCulture);
                    context.Checks.Add(new Check("retry", $"selective, p = {pct}%: destination sends per delivered event", sends, "sends/event", $"≤ {limit:0.000} (1.02 × 1/(1−p))", complete && sends <= limit));
                    context.Checks.Add(new Check("retry", $"selective, p = {pct}%: events dead-lettered", dead, "events", "0", complete && dead == 0));
                }
            }
        }

        return new JsonObject
        {
            ["eventsPerRun"] = n,
            ["sourcePartitions"] = SourcePartitions(n),
            ["retryTopicPartitions"] = TierPartitions(n),
            ["failure"] = "per-slot 503 when hash(eventId, attempt) < p (same coin in both modes)",
            ["retry"] = $"MaxAttempts {MaxAttempts}, tier delays 50/100/200 ms, jitter 10%, batch 500, MaxWait 50 ms",
            ["timing"] = "first record consumed → last event delivered or dead-lettered",
            ["runs"] = runs,
        };
    }

    /// <summary>
    /// The mock cluster keeps at most 5 MB of record batches per partition and drops older ones, even unconsumed
    /// (rdkafka_mock.c): a source record is ~300 B on the log, so one partition per ~4 MB of source records.
    /// </summary>
    private static int SourcePartitions(int n) => Math.Max(6, (int)Math.Ceiling(n * 300.0 / (4 * 1024 * 1024)));

    /// <summary>
    /// Retry and dead-letter topics: a retry record carries ~15 delivery-* headers (~900 B on the log) and in the
    /// whole-batch mode every event can sit on one tier at once, so one partition per ~4 MB of that.
    /// </summary>
    private static int TierPartitions(int n) => Math.Max(6, (int)Math.Ceiling(n * 900.0 / (4 * 1024 * 1024)));

    private static async Task<JsonObject> RunOnceAsync(BenchContext context, string topic, int n, double p, bool wholeBatch)
    {
        var mode = wholeBatch ? "whole-batch" : "selective";
        var name = BenchCluster.Unique(wholeBatch ? "whole" : "selective");
        var settings = WorkerHost.Settings(name, FlakyDestinationFactory.TypeName, topic);
        settings["Delivery:Kafka:TopicPartitions"] = TierPartitions(n).ToString(CultureInfo.InvariantCulture);
        var prefix = $"Delivery:Destinations:{name}";
        settings[$"{prefix}:Batch:MaxWait"] = "00:00:00.050";
        settings[$"{prefix}:Retry:MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture);
        settings[$"{prefix}:Retry:Jitter"] = "0.1";
        settings[$"{prefix}:Retry:Delays:0"] = "00:00:00.050";
        settings[$"{prefix}:Retry:Delays:1"] = "00:00:00.100";
        settings[$"{prefix}:Retry:Delays:2"] = "00:00:00.200";
        var factory = new FlakyDestinationFactory(p, wholeBatch);
        using var probe = new DeliveryProbe(name);
        var host = await WorkerHost.StartAsync(context.Cluster.Embedded, settings, s => s.AddKeyedSingleton<IDestinationHandlerFactory>(FlakyDestinationFactory.TypeName, factory));
        var drained = true;
        try
        {
            await Poll.UntilAsync(() => probe.Delivered + probe.DeadLettered >= n, TimeSpan.FromMinutes(context.Settings.Full ? 10 : 2), $"{n} events are delivered or dead-lettered ({mode}, p={p})", everyMs: 10);
        }
        catch (TimeoutException e)
        {
            drained = false;
            context.Log($"retry {mode} p={p}: {e.Message}; delivered {probe.Delivered}, dead-lettered {probe.DeadLettered}");
        }
        finally
        {
            await WorkerHost.StopAsync(host);
        }

        var drain = Stopwatch.GetElapsedTime(probe.FirstConsumedAt, probe.LastResolvedAt);
        var sends = factory.Destination.Sends;
        var perDelivered = probe.Delivered == 0 ? double.PositiveInfinity : (double)sends / probe.Delivered;
        context.Log($"retry {mode} p={p:0.00}: sends/delivered {perDelivered:0.000} (ideal {1 / (1 - p):0.000}), delivered {probe.Delivered:N0}, dead-lettered {probe.DeadLettered:N0}, drained in {drain.TotalSeconds:0.00}s");
        return new JsonObject
        {
            ["mode"] = mode,
            ["p"] = p,
            ["events"] = n,
            ["drained"] = drained,
            ["sends"] = sends,
            ["requests"] = factory.Destination.Calls,
            ["delivered"] = probe.Delivered,
            ["deadLettered"] = probe.DeadLettered,
            ["reEnqueued"] = probe.Retried,
            ["sendsPerDeliveredEvent"] = double.IsFinite(perDelivered) ? Stats.Round(perDelivered, 4) : -1,
            ["sendsPerEvent"] = Stats.Round((double)sends / n, 4),
            ["idealSendsPerEvent"] = Stats.Round(1 / (1 - p), 4),
            ["drainSeconds"] = Stats.Round(drain.TotalSeconds),
        };
    }
}
