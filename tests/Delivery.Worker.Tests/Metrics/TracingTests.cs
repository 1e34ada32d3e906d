using System.Diagnostics;
using Delivery.Worker.Hosting;
using Delivery.Worker.Tests.Hosting;
using Delivery.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Delivery.Worker.Tests.Metrics;

public sealed class TracingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Deliver_HttpBatchDestination_HttpClientSpanNestsUnderTheBatchSpan()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var api = await LoopbackApi.StartAsync(static context => { context.Response.StatusCode = StatusCodes.Status200OK; return Task.CompletedTask; });
        var name = KafkaTestCluster.Unique("traced");
        var source = KafkaTestCluster.Unique("source");
        await cluster.CreateTopicAsync(source, 1);
        var spans = new List<Activity>();
        var settings = new Dictionary<string, string?>(RunningWorker.BaseConfiguration())
        {
            [$"Delivery:Destinations:{name}:Type"] = "HttpBatch",
            [$"Delivery:Destinations:{name}:SourceTopics:0"] = source,
            [$"Delivery:Destinations:{name}:Http:BaseAddress"] = LoopbackApi.Address(api).ToString(),
            [$"Delivery:Destinations:{name}:Batch:MaxWait"] = "00:00:00.020",
            ["Delivery:Kafka:TopicPartitions"] = "1",
        };
        if (cluster.Embedded is null)
        {
            settings["Delivery:Kafka:BootstrapServers"] = cluster.BootstrapServers;
            settings["Delivery:Kafka:CreateTopics"] = "true";
        }
        else
        {
            settings["Delivery:Kafka:Embedded"] = "true";
        }

        await using var worker = await RunningWorker.StartAsync(new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            Overrides = settings,
            LogOutput = TextWriter.Null,
            ConfigureServices = services =>
            {
                if (cluster.Embedded is { } embedded)
                {
                    services.AddSingleton(embedded);
                }

                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            },
        });
        await cluster.ProduceAsync(source, new[] { "a", "b", "c" }.Select(PipelineScenario.Message));

        var provider = worker.Services.GetRequiredService<TracerProvider>();
        (Activity Batch, Activity Http)? pair = null;
        await Wait.UntilAsync(
            () =>
            {
                provider.ForceFlush(1_000);
                Activity[] finished;
                lock (spans)
                {
                    finished = [.. spans];
                }

                var batch = finished.FirstOrDefault(a => a.DisplayName == $"deliver {name}");
                var http = batch is null ? null : finished.FirstOrDefault(a => a.Kind == ActivityKind.Client && a.ParentSpanId == batch.SpanId);
                pair = batch is not null && http is not null ? (batch, http) : null;
                return pair is not null;
            },
            Deadline,
            "a batch span with an HTTP client child span is exported");

        Assert.Equal(pair!.Value.Batch.TraceId, pair.Value.Http.TraceId);
        Assert.Equal("POST", pair.Value.Http.GetTagItem("http.request.method"));
    }
}
