using System.Text.Json.Nodes;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Reporting;
using Delivery.Benchmarks.Scenarios;

namespace Delivery.Benchmarks;

/// <summary>The harness: runs the scenarios in order and writes docs/benchmarks (results.json, README.md, chart.png).</summary>
internal static class BenchProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == MemoryChild.Verb)
        {
            return await MemoryChild.RunAsync(args[1..]);
        }

        var settings = BenchSettings.Parse(args);
        var machine = MachineFacts.Collect(settings.RepositoryRoot, settings.Mode);
        var scenarios = new JsonObject();
        using var context = new BenchContext(settings);
        context.Log($"mode {settings.Mode}, {machine["cores"]} cores, load {machine["loadAverageAtStart"]}, commit {machine["commit"]}");
        if (settings.Only.Contains("pause"))
        {
            PauseResumeDiagnostic.Run(context, new Dictionary<string, string>());
            PauseResumeDiagnostic.Run(context, new Dictionary<string, string> { ["fetch.queue.backoff.ms"] = "10", ["fetch.error.backoff.ms"] = "10" });
            return 0;
        }

        if (settings.Runs("micro"))
        {
            scenarios["micro"] = MicroScenario.Run(context);
        }

        if (settings.Runs("raw"))
        {
            scenarios["rawVsWorker"] = await RawVsWorkerScenario.RunAsync(context);
        }

        if (settings.Runs("http"))
        {
            scenarios["http"] = await HttpScenario.RunAsync(context);
        }

        if (settings.Runs("retry"))
        {
            scenarios["retry"] = await RetryScenario.RunAsync(context);
        }

        if (settings.Runs("timeliness"))
        {
            scenarios["timeliness"] = await TimelinessScenario.RunAsync(context);
        }

        if (settings.Runs("ordering"))
        {
            scenarios["ordering"] = await OrderingScenario.RunAsync(context);
        }

        if (settings.Runs("memory"))
        {
            scenarios["memory"] = await MemoryScenario.RunAsync(context);
        }

        if (settings.Runs("failover"))
        {
            scenarios["failover"] = await FailoverScenario.RunAsync(context);
        }

        machine["loadAverageAtEnd"] = MachineFacts.LoadAverage();
        ReportWriter.Write(settings, machine, scenarios, context.Checks, context.Log);
        foreach (var check in context.Checks)
        {
            context.Log($"{ReportWriter.Result(check)} {check.Scenario}: {check.Figure} = {check.Value} {check.Unit} (target {check.Target})");
        }

        return 0;
    }
}
