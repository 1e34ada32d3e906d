using System.Text.Json.Nodes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Micro;
using Delivery.Benchmarks.Reporting;
using Perfolizer.Horology;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of the Core hot path (in-process toolchain, MemoryDiagnoser): outcome resolution,
/// offset tracking, header encoding and decoding. Quick mode uses a short job; artifacts go to artifacts/benchmarkdotnet.
/// </summary>
internal static class MicroScenario
{
    private const double TargetBytesPerDelivered = 64;

    public static JsonObject Run(BenchContext context)
    {
        // Full: MediumRun (15 iterations; Job.Default took ~10 minutes for these six on 2 shared cores). Quick: ShortRun.
        var job = (context.Settings.Full ? Job.MediumRun.WithLaunchCount(1) : Job.ShortRun.WithIterationTime(TimeInterval.FromMilliseconds(150)))
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId(context.Settings.Full ? "InProcessMedium" : "InProcessShort");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(new QuietBenchmarkLogger())
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(Path.Combine(context.Settings.RepositoryRoot, "artifacts", "benchmarkdotnet"))
            .WithOptions(ConfigOptions.DisableLogFile);
        context.Log($"micro: BenchmarkDotNet, job {job.Id}");
        var summaries = BenchmarkRunner.Run([typeof(OutcomeResolutionBenchmarks), typeof(OffsetTrackerBenchmarks), typeof(HeaderCodecBenchmarks)], config);
        var results = new JsonArray();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var benchmark = report.BenchmarkCase;
                var method = benchmark.Descriptor.WorkloadMethod.Name;
                var mean = report.ResultStatistics?.Mean ?? double.NaN;
                var allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmark) ?? -1;
                var entry = new JsonObject
                {
                    ["class"] = benchmark.Descriptor.Type.Name,
                    ["benchmark"] = method,
                    ["description"] = benchmark.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
                    ["operationsPerInvoke"] = benchmark.Descriptor.OperationsPerInvoke,
                    ["meanNsPerOperation"] = double.IsFinite(mean) ? Stats.Round(mean, 2) : -1,
                    ["allocatedBytesPerOperation"] = allocated,
                };
                context.Log($"micro {entry["description"]}: {mean:0.0} ns/op, {allocated} B/op");
                switch (method)
                {
                    case nameof(OutcomeResolutionBenchmarks.ResolveAllSuccess):
                        entry["allocatedBytesPerDeliveredEvent"] = allocated;
                        context.Checks.Add(new Check("micro", "resolution, 500 all-success: allocated per delivered event", allocated, "B", $"≤ {TargetBytesPerDelivered:0}", allocated >= 0 && allocated <= TargetBytesPerDelivered));
                        break;
                    case nameof(OutcomeResolutionBenchmarks.ResolveMixed):
                        var perDelivered = Stats.Round((double)allocated * OutcomeResolutionBenchmarks.BatchSize / OutcomeResolutionBenchmarks.MixedDelivered, 1);
                        entry["allocatedBytesPerDeliveredEvent"] = perDelivered;
                        entry["deliveredPerBatch"] = OutcomeResolutionBenchmarks.MixedDelivered;
                        context.Checks.Add(new Check("micro", $"resolution, 500 mixed ({OutcomeResolutionBenchmarks.MixedDelivered} delivered): allocated per delivered event", perDelivered, "B", $"≤ {TargetBytesPerDelivered:0}", allocated >= 0 && perDelivered <= TargetBytesPerDelivered,
                            "all allocation of the batch (including the Retry/DeadLetter outcomes of the failed events) ÷ delivered events"));
                        break;
                }

                results.Add(entry);
            }
        }

        return new JsonObject
        {
            ["tool"] = "BenchmarkDotNet 0.14.0, InProcessEmitToolchain, MemoryDiagnoser",
            ["job"] = job.Id,
            ["benchmarks"] = results,
        };
    }
}
