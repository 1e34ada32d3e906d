using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class PipelineServiceCollectionExtensionsTests(ITestOutputHelper output)
{
    private const int InFlightLimit = 40;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddDeliveryPipeline_EmbeddedWithNoOpDestination_StartsClusterCreatesTopicsDeliversAndDisposesCluster()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Delivery:Kafka:Embedded"] = "true",
            ["Delivery:Kafka:EmbeddedBrokers"] = "1",
            ["Delivery:Kafka:TopicPartitions"] = "3",
            ["Delivery:Destinations:demo:Type"] = "NoOp",
            ["Delivery:Destinations:demo:SourceTopics:0"] = "orders",
            ["Delivery:Destinations:off:Type"] = "NoOp",
            ["Delivery:Destinations:off:Enabled"] = "false",
            ["Delivery:Destinations:off:SourceTopics:0"] = "orders",
        });
        builder.Services.AddDeliveryPipeline(builder.Configuration);
        builder.Services.AddDeliveryPipeline(builder.Configuration);
        Assert.Single(builder.Services, d => d.ServiceType == typeof(IHostedService));
        EmbeddedKafkaCluster cluster;
        using (var host = builder.Build())
        {
            await host.StartAsync();
            cluster = host.Services.GetRequiredService<EmbeddedKafkaCluster>();
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
            var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).ToHashSet();
            Assert.Superset(new HashSet<string> { "orders", "demo.retry.1", "demo.retry.5", "demo.dlq" }, topics);
            Assert.DoesNotContain("off.dlq", topics);

            using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
            for (var i = 0; i < 30; i++)
            {
                await producer.ProduceAsync("orders", new Message<Null, string> { Value = $"{{\"n\":{i}}}" });
            }

            using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "delivery.demo" }).Build();
            await Wait.UntilAsync(
                () => consumer.Committed([new TopicPartition("orders", 0), new TopicPartition("orders", 1), new TopicPartition("orders", 2)], TimeSpan.FromSeconds(5)).Sum(c => Math.Max(0, c.Offset.Value)) == 30,
                Deadline,
                "the NoOp destination resolves and commits every record");
            var status = host.Services.GetRequiredService<IPipelineStatusSource>().Snapshot();
            Assert.Equal("demo", Assert.Single(status).Destination);
            Assert.Equal(DestinationState.Running, status[0].State);
            await host.StopAsync();
            Assert.Equal(DestinationState.Stopped, host.Services.GetRequiredService<IPipelineStatusSource>().Snapshot()[0].State);
        }

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("after"));
    }

    [Fact]
    public async Task AddDeliveryPipeline_UnknownDestinationType_StartFailsNamingTheKey()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Delivery:Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["Delivery:Destinations:mystery:Type"] = "Carrier-Pigeon",
            ["Delivery:Destinations:mystery:SourceTopics:0"] = "orders",
        });
        builder.Services.AddDeliveryPipeline(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.StartsWith("Delivery:Destinations:mystery:Type:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_MixedRun_EventsCountedByOutcomeAndGaugesReported()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        destination.Script("retry", EventScript.FailTimes(1, 503));
        destination.Script("bad", EventScript.FailAlways(422));
        await using var scenario = new PipelineScenario(cluster, output, destination);
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Telemetry.DeliveryMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagList = tags.ToArray();
            if (!tagList.Any(t => t.Key == "destination" && (string?)t.Value == scenario.Name))
            {
                return;
            }

            var outcome = tagList.FirstOrDefault(t => t.Key == "outcome").Value as string;
            counts.AddOrUpdate(outcome is null ? instrument.Name : $"{instrument.Name}:{outcome}", value, (_, v) => v + value);
            foreach (var detail in tagList.Where(t => t.Key is "tier" or "reason"))
            {
                counts.AddOrUpdate($"{instrument.Name}:{outcome}:{detail.Key}={detail.Value}", value, (_, v) => v + value);
            }
        });
        listener.Start();
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["ok", "retry", "bad"]);

        await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => counts.GetValueOrDefault("delivery.events:delivered") == 2 && counts.GetValueOrDefault("delivery.events:dead_lettered") == 1, Deadline, "the outcomes are counted");
        Assert.Equal(1, counts.GetValueOrDefault("delivery.events:retried"));
        Assert.Equal(1, counts.GetValueOrDefault("delivery.events:retried:tier=1"));
        Assert.Equal(1, counts.GetValueOrDefault("delivery.events:dead_lettered:reason=NonRetryable"));
        Assert.Equal(4, counts.GetValueOrDefault("messaging.client.consumed.messages"));
        Assert.Equal(2, counts.GetValueOrDefault("messaging.client.sent.messages"));
        listener.RecordObservableInstruments();
        Assert.True(counts.ContainsKey("delivery.inflight.events"));
        Assert.True(counts.ContainsKey("delivery.circuit.open"));
    }

    [Fact]
    public async Task Backpressure_MaxInFlightEvents_ConsumptionPausedNearTheLimit()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination { Latency = TimeSpan.FromMilliseconds(50) };
        await using var scenario = new PipelineScenario(cluster, output, destination);
        LimitInFlight(scenario);

        var max = await DeliverAllAsync(scenario, destination, 200);

        output.WriteLine($"max in-flight observed: {max}");
        // One record past the limit triggers the pause; a few already-fetched records may still arrive.
        Assert.InRange(max, 1, InFlightLimit + 10);
    }

    [Fact]
    public async Task Backpressure_BatchesKeepCompleting_NeverPausesAndStaysAtTheLimit()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination { Latency = TimeSpan.FromMilliseconds(50) };
        await using var scenario = new PipelineScenario(cluster, output, destination);
        using var capture = new BackpressureLogCapture();
        LimitInFlight(scenario, TimeSpan.FromSeconds(2), capture);

        var max = await DeliverAllAsync(scenario, destination, 200);

        output.WriteLine($"max in-flight observed: {max}; transitions: {string.Join(", ", capture.Transitions)}");
        // The loop stops polling at the limit (soft backpressure) and goes on as batches complete: the partitions are
        // never paused, and in-flight never passes the limit by more than the one record of a poll.
        Assert.Empty(capture.Transitions);
        Assert.InRange(max, 1, InFlightLimit + 1);
    }

    [Fact]
    public async Task Backpressure_SustainedOverload_PausesAndResumesBelowHalf()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination { Latency = TimeSpan.FromMilliseconds(400) };
        await using var scenario = new PipelineScenario(cluster, output, destination);
        using var capture = new BackpressureLogCapture();
        LimitInFlight(scenario, TimeSpan.FromMilliseconds(100), capture);

        await DeliverAllAsync(scenario, destination, 80);

        var transitions = capture.Transitions;
        output.WriteLine($"transitions: {string.Join(", ", transitions)}");
        // Nothing completes within the grace (each batch takes 400 ms): every partition is paused at the limit and
        // resumed only below half of it.
        Assert.NotEmpty(transitions);
        Assert.Equal("on", transitions[0].State);
        Assert.InRange(transitions[0].InFlightEvents, InFlightLimit, InFlightLimit + 1);
        Assert.Contains(transitions, t => t.State == "off");
        Assert.All(transitions.Where(t => t.State == "off"), t => Assert.InRange(t.InFlightEvents, 0, (InFlightLimit / 2) - 1));
    }

    /// <summary>MaxInFlightEvents 40 with batches of 10 handled one at a time; optionally a grace and a log capture.</summary>
    private static void LimitInFlight(PipelineScenario scenario, TimeSpan? grace = null, BackpressureLogCapture? capture = null)
    {
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxInFlightEvents"] = InFlightLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxEvents"] = "10";
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxConcurrent"] = "1";
        if (grace is { } g)
        {
            scenario.Settings["Delivery:Pipeline:BackpressureGrace"] = g.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (capture is not null)
        {
            scenario.ConfigureServices = services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(capture.Provider);
        }
    }

    /// <summary>Produces <paramref name="count"/> events to one partition, starts the worker and waits until all are delivered; returns the peak in-flight seen.</summary>
    private static async Task<long> DeliverAllAsync(PipelineScenario scenario, ScriptedDestination destination, int count)
    {
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(Enumerable.Range(0, count).Select(i => $"e-{i}"));
        var host = await scenario.StartWorkerAsync();
        long max = 0;
        await Wait.UntilAsync(
            () =>
            {
                max = Math.Max(max, PipelineScenario.Status(host).Single().InFlightEvents);
                return destination.Delivered.Count == count;
            },
            Deadline,
            "everything is delivered");
        return max;
    }
}
