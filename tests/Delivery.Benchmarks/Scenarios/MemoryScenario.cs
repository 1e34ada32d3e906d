using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Reporting;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// Memory: the worker (NoOp destination, MaxInFlightEvents 20,000) runs in a fresh child process against this
/// process's embedded cluster, so its peak working set (VmHWM) holds only the worker, not the broker or the harness.
/// </summary>
internal static class MemoryScenario
{
    private const int MaxInFlight = 20_000;
    private const double TargetMb = 300;

    public static async Task<JsonObject> RunAsync(BenchContext context)
    {
        var n = context.Settings.Events;
        var topic = context.SourceTopic;
        var name = BenchCluster.Unique("mem");
        for (var tier = 1; tier <= 5; tier++)
        {
            context.Cluster.CreateTopic($"{name}.retry.{tier}", 6);
        }

        context.Cluster.CreateTopic($"{name}.dlq", 6);
        var child = await RunChildAsync(context, [
            "--bootstrap", context.Cluster.BootstrapServers, "--topic", topic, "--name", name,
            "--events", n.ToString(CultureInfo.InvariantCulture), "--max-in-flight", MaxInFlight.ToString(CultureInfo.InvariantCulture)]);
        var peakMb = child["vmHwmBytes"]!.GetValue<long>() / (1024.0 * 1024.0);
        var perEvent = child["steadyAllocatedBytesPerEvent"]!.GetValue<double>();
        var label = n == 1_000_000 ? "1,000,000 events" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} events (quick mode; --full runs 1,000,000)");
        context.Log($"memory: peak working set {peakMb:0.0} MB over {label}; steady state {perEvent:0} B allocated per event");
        context.Checks.Add(new Check("memory", $"peak working set (VmHWM), {label}, MaxInFlightEvents 20,000", Stats.Round(peakMb, 1), "MB", $"≤ {TargetMb:0}", peakMb <= TargetMb));
        context.Checks.Add(new Check("memory", "allocated bytes per event, steady state (NoOp destination, worker-only child process)", Stats.Round(perEvent, 0), "B/event", "≤ 900", perEvent <= 900));
        child["events"] = n;
        child["label"] = label;
        child["maxInFlightEvents"] = MaxInFlight;
        child["peakWorkingSetMb"] = Stats.Round(peakMb, 1);
        child["targetMb"] = TargetMb;
        child["pass"] = peakMb <= TargetMb;
        child["measurement"] = "fresh child process (same binary, `memory-child` verb), worker only; VmHWM from /proc/self/status; allocation = GC.GetTotalAllocatedBytes delta between 25% and 75% delivered";
        return child;
    }

    private static async Task<JsonObject> RunChildAsync(BenchContext context, IReadOnlyList<string> arguments)
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(processPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        start.ArgumentList.Add(MemoryChild.Verb);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the memory child process");
        var errors = process.StandardError.ReadToEndAsync();
        JsonObject? result = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(context.Settings.Full ? 15 : 4));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(MemoryChild.ResultPrefix, StringComparison.Ordinal))
                {
                    result = JsonNode.Parse(line[MemoryChild.ResultPrefix.Length..])!.AsObject();
                }
                else
                {
                    context.Log($"  child: {line}");
                }
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the memory child process did not finish in time");
        }

        var stderr = await errors;
        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"memory child exited {process.ExitCode}: {stderr}");
        }

        return result;
    }
}
