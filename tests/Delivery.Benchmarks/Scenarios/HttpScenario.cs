using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Reporting;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// HTTP: the worker with the HttpBatch destination against an in-process Kestrel 207 endpoint vs a bare HttpClient
/// loop posting the same batches (500 events, the same JSON body, 4 concurrent requests = the worker's
/// MaxConcurrent) to the same endpoint. Rounds alternate back to back; the figure is the median per-round ratio.
/// </summary>
internal static class HttpScenario
{
    private const int BatchSize = 500;
    private const int Concurrency = 4;

    public static async Task<JsonObject> RunAsync(BenchContext context)
    {
        var topic = context.SourceTopic;
        var total = context.Settings.Events;
        await using var endpoint = await MultiStatusEndpoint.StartAsync();
        var values = Enumerable.Range(0, total).Select(EventPayloads.Value).ToArray();
        var rounds = new JsonArray();
        var ratios = new List<double>();
        var bares = new List<double>();
        var workers = new List<double>();
        for (var round = 1; round <= context.Settings.Rounds; round++)
        {
            var before = endpoint.Events;
            var bare = await BareLoopAsync(endpoint, values);
            context.Log($"http bare round {round}: {bare.EventsPerSecond:N0} events/s ({bare.Elapsed.TotalSeconds:0.00}s, endpoint saw {endpoint.Events - before:N0})");
            before = endpoint.Events;
            var worker = await WorkerAsync(context.Cluster, endpoint, topic, total, context.Partitions);
            context.Log($"http worker round {round}: {worker.EventsPerSecond:N0} events/s delivered+committed ({worker.Elapsed.TotalSeconds:0.00}s, endpoint saw {endpoint.Events - before:N0})");
            var ratio = worker.EventsPerSecond / bare.EventsPerSecond;
            ratios.Add(ratio);
            bares.Add(bare.EventsPerSecond);
            workers.Add(worker.EventsPerSecond);
            rounds.Add(new JsonObject
            {
                ["round"] = round,
                ["bareEventsPerSecond"] = Stats.Round(bare.EventsPerSecond, 0),
                ["bareSeconds"] = Stats.Round(bare.Elapsed.TotalSeconds),
                ["workerEventsPerSecond"] = Stats.Round(worker.EventsPerSecond, 0),
                ["workerSeconds"] = Stats.Round(worker.Elapsed.TotalSeconds),
                ["workerSecondsToLastDelivery"] = Stats.Round(worker.DeliveredElapsed.TotalSeconds),
                ["ratio"] = Stats.Round(ratio),
            });
        }

        var median = Stats.Median(ratios);
        context.Checks.Add(new Check("http", "worker (HttpBatch) ÷ bare HttpClient loop, same 207 endpoint", Stats.Round(median), "×", "≥ 0.8", median >= 0.8));
        return new JsonObject
        {
            ["events"] = total,
            ["batchEvents"] = BatchSize,
            ["concurrency"] = Concurrency,
            ["endpoint"] = "Kestrel 127.0.0.1, POST /events, 207 MultiStatus body (all success)",
            ["timing"] = "first request → last answer (bare) / first record consumed → N delivered and committed (worker)",
            ["bareEventsPerSecondMedian"] = Stats.Round(Stats.Median(bares), 0),
            ["workerEventsPerSecondMedian"] = Stats.Round(Stats.Median(workers), 0),
            ["ratioMedian"] = Stats.Round(median),
            ["target"] = 0.8,
            ["pass"] = median >= 0.8,
            ["rounds"] = rounds,
        };
    }

    private static async Task<Throughput> BareLoopAsync(MultiStatusEndpoint endpoint, byte[][] values)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = endpoint.BaseAddress };
        var uri = new Uri(endpoint.BaseAddress, "events");
        var batches = (values.Length + BatchSize - 1) / BatchSize;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches)
            {
                var from = index * BatchSize;
                var to = Math.Min(values.Length, from + BatchSize);
                var body = new ArrayBufferWriter<byte>(16 + ((to - from) * 210));
                body.Write("{\"events\":["u8);
                for (var i = from; i < to; i++)
                {
                    if (i > from)
                    {
                        body.Write(","u8);
                    }

                    body.Write(values[i]);
                }

                body.Write("]}"u8);
                using var content = new ReadOnlyMemoryContent(body.WrittenMemory);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(uri, content);
                var answer = await response.Content.ReadAsByteArrayAsync();
                if ((int)response.StatusCode != 207 || answer.Length == 0)
                {
                    throw new InvalidOperationException($"bare loop: unexpected answer {(int)response.StatusCode}");
                }
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new Throughput(values.Length, elapsed, elapsed);
    }

    private static async Task<Throughput> WorkerAsync(BenchCluster cluster, MultiStatusEndpoint endpoint, string topic, int n, int partitions)
    {
        var name = BenchCluster.Unique("http");
        var settings = WorkerHost.Settings(name, "HttpBatch", topic);
        settings[$"Delivery:Destinations:{name}:Http:BaseAddress"] = endpoint.BaseAddress.ToString();
        settings[$"Delivery:Destinations:{name}:Settings:Path"] = "events";
        using var probe = new DeliveryProbe(name);
        using var committed = cluster.CommittedReader($"delivery.{name}");
        var host = await WorkerHost.StartAsync(cluster.Embedded, settings);
        try
        {
            await Poll.UntilAsync(() => probe.Delivered >= n, TimeSpan.FromMinutes(5), $"{n} events are delivered over HTTP");
            await Poll.UntilAsync(() => BenchCluster.CommittedTotal(committed, topic, partitions) >= n, TimeSpan.FromSeconds(30), "every offset is committed", everyMs: 10);
            return new Throughput(n, Stopwatch.GetElapsedTime(probe.FirstConsumedAt), Stopwatch.GetElapsedTime(probe.FirstConsumedAt, probe.LastResolvedAt));
        }
        finally
        {
            await WorkerHost.StopAsync(host);
        }
    }
}
