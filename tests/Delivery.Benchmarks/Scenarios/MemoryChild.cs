using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Delivery.Benchmarks.Infrastructure;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// The child side of the memory scenario (<c>Delivery.Benchmarks memory-child …</c>): runs one worker against the
/// parent's cluster until every event is delivered and prints one <c>RESULT {json}</c> line.
/// </summary>
internal static class MemoryChild
{
    public const string Verb = "memory-child";
    public const string ResultPrefix = "RESULT ";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        var n = int.Parse(options["--events"], CultureInfo.InvariantCulture);
        var name = options["--name"];
        var baseline = ReadStatusBytes("VmHWM");
        var settings = WorkerHost.Settings(name, "NoOp", options["--topic"]);
        settings["Delivery:Kafka:Embedded"] = "false";
        settings["Delivery:Kafka:BootstrapServers"] = options["--bootstrap"];
        settings["Delivery:Kafka:CreateTopics"] = "false";
        settings[$"Delivery:Destinations:{name}:Batch:MaxInFlightEvents"] = options["--max-in-flight"];
        settings["Delivery:Pipeline:CommitInterval"] = "00:00:01";
        using var probe = new DeliveryProbe(name);
        var host = await WorkerHost.StartAsync(null, settings);
        long allocatedAt25 = 0, deliveredAt25 = 0, allocatedAt75 = 0, deliveredAt75 = 0;
        long ticksAt25 = 0, ticksAt75 = 0;
        long peakRss = 0;
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var clock = Stopwatch.StartNew();
        try
        {
            while (probe.Delivered < n)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(14))
                {
                    throw new TimeoutException($"delivered {probe.Delivered} of {n}");
                }

                var delivered = probe.Delivered;
                if (deliveredAt25 == 0 && delivered >= n / 4)
                {
                    allocatedAt25 = GC.GetTotalAllocatedBytes(true);
                    deliveredAt25 = probe.Delivered;
                    ticksAt25 = Stopwatch.GetTimestamp();
                }
                else if (deliveredAt75 == 0 && delivered >= n * 3L / 4)
                {
                    allocatedAt75 = GC.GetTotalAllocatedBytes(true);
                    deliveredAt75 = probe.Delivered;
                    ticksAt75 = Stopwatch.GetTimestamp();
                }

                peakRss = Math.Max(peakRss, ReadStatusBytes("VmRSS"));
                await Task.Delay(2);
            }
        }
        finally
        {
            await WorkerHost.StopAsync(host);
        }

        var elapsed = Stopwatch.GetElapsedTime(probe.FirstConsumedAt, probe.LastResolvedAt);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var result = new JsonObject
        {
            ["vmHwmBytes"] = ReadStatusBytes("VmHWM"),
            ["peakWorkingSet64Bytes"] = self.PeakWorkingSet64,
            ["sampledPeakRssBytes"] = peakRss,
            ["processBaselineVmHwmBytes"] = baseline,
            ["steadyAllocatedBytesPerEvent"] = Math.Round((double)(allocatedAt75 - allocatedAt25) / Math.Max(1, deliveredAt75 - deliveredAt25), 1),
            ["steadyEventsPerSecond"] = Math.Round((deliveredAt75 - deliveredAt25) / Stopwatch.GetElapsedTime(ticksAt25, ticksAt75).TotalSeconds, 0),
            ["totalAllocatedBytesPerEvent"] = Math.Round((double)GC.GetTotalAllocatedBytes(true) / n, 1),
            ["gen0Collections"] = GC.CollectionCount(0) - gen0,
            ["gen2Collections"] = GC.CollectionCount(2) - gen2,
            ["deliveredSeconds"] = Math.Round(elapsed.TotalSeconds, 2),
            ["eventsPerSecond"] = Math.Round(n / elapsed.TotalSeconds, 0),
        };
        Console.WriteLine(ResultPrefix + result.ToJsonString());
        return 0;
    }

    /// <summary>A <c>kB</c> field of /proc/self/status, in bytes (0 where /proc is missing).</summary>
    public static long ReadStatusBytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
