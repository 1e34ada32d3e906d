using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// HTTP: the worker with the HttpBatch destination against an in-process Kestrel 207 endpoint vs a bare HttpClient
/// loop posting the same batches (500 events, the same JSON body, 4 concurrent requests = the worker's
/// MaxConcurrent) to the same endpoint, twice: with a 50 ms service time per request (the destination is the
/// bottleneck, as with real APIs: the figure held to the target) and answering at once (then Kafka consumption bounds
/// the worker; reported with the ceiling). Rounds alternate back to back; the figure is the median per-round ratio.
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
        var destinationBound = await RunVariantAsync(context, endpoint, topic, values, TimeSpan.FromMilliseconds(50));
        var instant = await RunVariantAsync(context, endpoint, topic, values, TimeSpan.Zero);
        var ratio = destinationBound["ratioMedian"]!.GetValue<double>();
        context.Checks.Add(new Check("http", "worker (HttpBatch) ÷ bare HttpClient loop, same 207 endpoint, 50 ms service time per request", ratio, "×", "≥ 0.95", ratio >= 0.95));
        var limit = Concurrency * BatchSize / 0.05;
        var workerRate = destinationBound["workerEventsPerSecondMedian"]!.GetValue<double>();
        var bareRate = destinationBound["bareEventsPerSecondMedian"]!.GetValue<double>();
        context.Checks.Add(new Check("http", string.Create(CultureInfo.InvariantCulture, $"worker (HttpBatch) ÷ physical limit C × B / L = {Concurrency} × {BatchSize} / 50 ms = {limit:N0} events/s"), Stats.Round(workerRate / limit), "×", "reported",
            true, string.Create(CultureInfo.InvariantCulture, $"bare HttpClient loop: {bareRate / limit:0.000} × the limit")));
        var ideal = (total + BatchSize - 1) / BatchSize;
        var requests = destinationBound["workerRequestsMedian"]!.GetValue<double>();
        var requestLimit = 1.02 * ideal;
        context.Checks.Add(new Check("http", string.Create(CultureInfo.InvariantCulture, $"worker requests at 50 ms (median of rounds) vs ⌈events / MaxEvents⌉ = {ideal:N0}"), requests, "requests",
            string.Create(CultureInfo.InvariantCulture, $"≤ {requestLimit:0} (1.02 × {ideal})"), requests <= requestLimit));
        var instantRatio = instant["ratioMedian"]!.GetValue<double>();
        var ceiling = instant["kafkaCeilingRatio"]?.GetValue<double>();
        context.Checks.Add(new Check("http", "worker (HttpBatch) ÷ bare HttpClient loop, same 207 endpoint answering at once", instantRatio, "×", "≥ 0.8", instantRatio >= 0.8,
            ceiling is { } c ? string.Create(CultureInfo.InvariantCulture, $"Kafka-bound: the raw consume ceiling of this run is {c:0.00} × the bare HTTP rate") : null));
        return new JsonObject
        {
            ["events"] = total,
            ["batchEvents"] = BatchSize,
            ["concurrency"] = Concurrency,
            ["endpoint"] = "Kestrel 127.0.0.1, POST /events, 207 MultiStatus body (all success)",
            ["timing"] = "first request → last answer (bare) / first record consumed → N delivered and committed (worker)",
            ["destinationBound"] = destinationBound,
            ["instant"] = instant,
        };
    }

    private static async Task<JsonObject> RunVariantAsync(BenchContext context, MultiStatusEndpoint endpoint, string topic, byte[][] values, TimeSpan serviceTime)
    {
        endpoint.ServiceTime = serviceTime;
        var total = values.Length;
        var label = serviceTime > TimeSpan.Zero ? $"{serviceTime.TotalMilliseconds:0} ms" : "instant";
        var rounds = new JsonArray();
        var ratios = new List<double>();
        var bares = new List<double>();
        var workers = new List<double>();
        var workerRequestCounts = new List<double>();
        for (var round = 1; round <= context.Settings.Rounds; round++)
        {
            var before = endpoint.Events;
            var requests = endpoint.Requests;
            endpoint.ResetMaxInFlight();
            GcSample.Settle();
            var cpu = CpuSample.Start();
            var bareGc = GcSample.Start();
            var bare = RawVsWorkerScenario.WithCpu(await BareLoopAsync(endpoint, values), cpu);
            var bareGcDelta = bareGc.Stop();
            context.Log($"http ({label}) bare round {round}: {bare.EventsPerSecond:N0} events/s ({bare.Elapsed.TotalSeconds:0.00}s, endpoint saw {endpoint.Events - before:N0}, {bare.CpuMicrosecondsPerEvent:0.0} µs CPU/event, others busy {bare.OtherCores:0.0} cores)");
            var bareRequests = endpoint.Requests - requests;
            var bareConcurrency = endpoint.MaxInFlight;
            before = endpoint.Events;
            requests = endpoint.Requests;
            endpoint.ResetMaxInFlight();
            GcSample.Settle();
            cpu = CpuSample.Start();
            var workerGc = GcSample.Start();
            using var sampler = AllocationSampler.Enabled ? new AllocationSampler() : null;
            sampler?.Start();
            var worker = RawVsWorkerScenario.WithCpu(await WorkerAsync(context.Cluster, endpoint, topic, total, context.Partitions), cpu);
            if (sampler is not null)
            {
                context.Log($"allocation by type (worker round, sampled):\n{sampler.Stop()}");
            }

            var workerGcDelta = workerGc.Stop();
            context.Log($"  GC pauses bare {bareGcDelta.PauseMs:0} ms ({bareGcDelta.Collections} collections), worker {workerGcDelta.PauseMs:0} ms ({workerGcDelta.Collections} collections, {workerGcDelta.Gen1OrOlder} gen1+, {workerGcDelta.AllocatedMb:0} MB allocated)");
            context.Log($"http ({label}) worker round {round}: {worker.EventsPerSecond:N0} events/s delivered+committed ({worker.Elapsed.TotalSeconds:0.00}s, endpoint saw {endpoint.Events - before:N0}, {worker.CpuMicrosecondsPerEvent:0.0} µs CPU/event, others busy {worker.OtherCores:0.0} cores)");
            var workerRequests = endpoint.Requests - requests;
            var workerConcurrency = endpoint.MaxInFlight;
            workerRequestCounts.Add(workerRequests);
            context.Log($"  requests bare {bareRequests} (max {bareConcurrency} at once), worker {workerRequests} (max {workerConcurrency} at once)");
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
                ["bareCpuMicrosecondsPerEvent"] = Stats.Round(bare.CpuMicrosecondsPerEvent, 2),
                ["workerCpuMicrosecondsPerEvent"] = Stats.Round(worker.CpuMicrosecondsPerEvent, 2),
                ["otherProcessesBusyCores"] = Stats.Round((bare.OtherCores + worker.OtherCores) / 2, 2),
                ["bareRequests"] = bareRequests,
                ["bareMaxConcurrentRequests"] = bareConcurrency,
                ["workerRequests"] = workerRequests,
                ["workerMaxConcurrentRequests"] = workerConcurrency,
                ["bareGcPauseMs"] = Stats.Round(bareGcDelta.PauseMs, 1),
                ["workerGcPauseMs"] = Stats.Round(workerGcDelta.PauseMs, 1),
                ["workerGcCollections"] = workerGcDelta.Collections,
                ["workerAllocatedMb"] = Stats.Round(workerGcDelta.AllocatedMb, 1),
                ["ratio"] = Stats.Round(ratio),
            });
        }

        var median = Stats.Median(ratios);
        var result = new JsonObject
        {
            ["serviceTimeMs"] = serviceTime.TotalMilliseconds,
            ["bareEventsPerSecondMedian"] = Stats.Round(Stats.Median(bares), 0),
            ["workerEventsPerSecondMedian"] = Stats.Round(Stats.Median(workers), 0),
            ["ratioMedian"] = Stats.Round(median),
            ["workerRequestsMedian"] = Stats.Median(workerRequestCounts),
            ["idealRequests"] = (total + BatchSize - 1) / BatchSize,
            ["target"] = serviceTime > TimeSpan.Zero ? 0.95 : 0.8,
            ["pass"] = median >= (serviceTime > TimeSpan.Zero ? 0.95 : 0.8),
            ["rounds"] = rounds,
        };
        if (context.RawEventsPerSecond is { } raw)
        {
            result["kafkaCeilingRatio"] = Stats.Round(raw / Stats.Median(bares));
        }

        return result;
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

    /// <summary>Diagnostics (BENCH_TRACE=1): every 20 ms, requests in progress / pipeline in-flight events / events delivered.</summary>
    private static async Task TraceAsync(MultiStatusEndpoint endpoint, Microsoft.Extensions.Hosting.IHost host, DeliveryProbe probe, CancellationToken stop)
    {
        var status = host.Services.GetRequiredService<Delivery.Worker.Pipeline.IPipelineStatusSource>();
        var samples = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            samples.Add($"{endpoint.InFlight}/{status.Snapshot()[0].InFlightEvents}/{probe.Delivered}");
            await Task.Delay(20, CancellationToken.None);
        }

        Console.WriteLine("TRACE requests/inflight/delivered every 20 ms: " + string.Join(' ', samples));
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
        using var stopSampling = new CancellationTokenSource();
        var sampler = Environment.GetEnvironmentVariable("BENCH_TRACE") == "1" ? TraceAsync(endpoint, host, probe, stopSampling.Token) : Task.CompletedTask;
        try
        {
            await Poll.UntilAsync(() => probe.Delivered >= n, TimeSpan.FromMinutes(5), $"{n} events are delivered over HTTP");
            await Poll.UntilAsync(() => BenchCluster.CommittedTotal(committed, topic, partitions) >= n, TimeSpan.FromSeconds(30), "every offset is committed", everyMs: 10);
            return new Throughput(n, Stopwatch.GetElapsedTime(probe.FirstConsumedAt), Stopwatch.GetElapsedTime(probe.FirstConsumedAt, probe.LastResolvedAt));
        }
        finally
        {
            await stopSampling.CancelAsync();
            await sampler;
            await WorkerHost.StopAsync(host);
        }
    }
}
