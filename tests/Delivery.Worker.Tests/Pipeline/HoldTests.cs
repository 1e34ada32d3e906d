using System.Diagnostics;
using Delivery.Core.MultiStatus;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class HoldTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Outage_DestinationUnavailable_HeldPausedNothingReEnqueuedThenResumesWithoutBurningAttempts()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        var down = true;
        destination.Override = _ => Volatile.Read(ref down) ? throw new DestinationUnavailableException("maintenance", 503, TimeSpan.FromMilliseconds(150)) : null;
        await using var scenario = new PipelineScenario(cluster, output, destination);
        await scenario.CreateSourceAsync(partitions: 2);
        var early = Enumerable.Range(0, 20).Select(i => $"early-{i}").ToList();
        await scenario.ProduceEventsAsync(early);

        var host = await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => PipelineScenario.Status(host).Single().State == DestinationState.Held, Deadline, "the destination is held");
        var late = Enumerable.Range(0, 20).Select(i => $"late-{i}").ToList();
        await scenario.ProduceEventsAsync(late);
        var calls = destination.Calls;
        await Wait.UntilAsync(() => destination.Calls >= calls + 4, Deadline, "the held batch is retried in place a few times");
        var status = PipelineScenario.Status(host).Single();
        Assert.Equal(DestinationState.Held, status.State);
        Assert.Contains("503", status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(destination.Seen, s => s.EventId.StartsWith("late-", StringComparison.Ordinal));
        Assert.All(destination.Seen, s => Assert.Equal(1, s.Attempt));

        Volatile.Write(ref down, false);

        await Wait.UntilAsync(() => destination.Delivered.Select(d => d.EventId).Distinct().Count() == 40, Deadline, "everything is delivered after recovery");
        Assert.All(destination.Delivered, d => Assert.Equal(1, d.Attempt));
        await Wait.UntilAsync(() => PipelineScenario.Status(host).Single().State == DestinationState.Running, Deadline, "the destination runs again");
        using var tier1 = cluster.Read(scenario.RetryTopic(1));
        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        Assert.Empty(tier1.Poll());
        Assert.Empty(dlq.Poll());
        await Wait.UntilAsync(() => cluster.CommittedLag(scenario.Group, scenario.SourceTopic) == 0, Deadline, "offsets are committed");
    }

    [Fact]
    public async Task PerSlotFailures_WholeBatchFailsAgain_ReEnqueuedNotHeld()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination(_ => EventScript.FailTimes(2, 503));
        await using var scenario = new PipelineScenario(cluster, output, destination);
        await scenario.CreateSourceAsync(partitions: 1);
        var ids = Enumerable.Range(0, 30).Select(i => $"e-{i}").ToList();
        await scenario.ProduceEventsAsync(ids);

        var host = await scenario.StartWorkerAsync();
        var states = new List<DestinationState>();
        await Wait.UntilAsync(
            () =>
            {
                states.Add(PipelineScenario.Status(host).Single().State);
                return destination.Delivered.Select(d => d.EventId).Distinct().Count() == ids.Count;
            },
            Deadline,
            "every event is delivered on its third attempt");

        Assert.DoesNotContain(DestinationState.Held, states);
        Assert.All(destination.Delivered, d => Assert.Equal(3, d.Attempt));
        using var tier1 = cluster.Read(scenario.RetryTopic(1));
        using var tier2 = cluster.Read(scenario.RetryTopic(2));
        await Wait.UntilAsync(() => tier1.Poll().Count == ids.Count && tier2.Poll().Count == ids.Count, Deadline, "each event was re-enqueued on both tiers");
    }

    [Fact]
    public async Task Isolation_OneDestinationHeld_OtherDestinationOnSameTopicDelivers()
    {
        using var cluster = KafkaTestCluster.Create();
        var healthy = new ScriptedDestination();
        await using var scenario = new PipelineScenario(cluster, output, healthy);
        var broken = new ScriptedDestination { Override = _ => throw new DestinationUnavailableException("down for good", 503) };
        var brokenName = KafkaTestCluster.Unique("broken");
        scenario.Settings[$"Delivery:Destinations:{brokenName}:Type"] = "Broken";
        scenario.Settings[$"Delivery:Destinations:{brokenName}:SourceTopics:0"] = scenario.SourceTopic;
        scenario.ConfigureServices = services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddKeyedSingleton<Core.IDestinationHandlerFactory>(services, "Broken", broken);
        await scenario.CreateSourceAsync(partitions: 2);
        await scenario.ProduceEventsAsync(Enumerable.Range(0, 100).Select(i => $"e-{i}"));

        var host = await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => healthy.Delivered.Select(d => d.EventId).Distinct().Count() == 100, Deadline, "the healthy destination delivers everything");
        await Wait.UntilAsync(() => PipelineScenario.Status(host).Single(s => s.Destination == brokenName).State == DestinationState.Held, Deadline, "the broken one is held");
        Assert.Equal(DestinationState.Running, PipelineScenario.Status(host).Single(s => s.Destination == scenario.Name).State);
        Assert.True(broken.Calls > 0);
        Assert.Empty(broken.Delivered);
    }

    [Fact]
    public async Task Deliver_RecordsWithTraceParent_OneActivityPerBatchLinkedToEachRecord()
    {
        using var cluster = KafkaTestCluster.Create();
        var activities = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Telemetry.DeliveryMetrics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var scenario = new PipelineScenario(cluster, output);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxWait"] = "00:00:00.300";
        await scenario.CreateSourceAsync(partitions: 1);
        var traceIds = new List<ActivityTraceId>();
        var messages = Enumerable.Range(0, 3).Select(i =>
        {
            var message = PipelineScenario.Message($"traced-{i}");
            var traceId = ActivityTraceId.CreateRandom();
            traceIds.Add(traceId);
            message.Headers.Add("traceparent", System.Text.Encoding.UTF8.GetBytes($"00-{traceId}-{ActivitySpanId.CreateRandom()}-01"));
            return message;
        }).ToList();
        await cluster.ProduceAsync(scenario.SourceTopic, messages);

        await scenario.StartWorkerAsync();

        await Wait.UntilAsync(() => activities.Any(a => a.GetTagItem("delivery.destination") as string == scenario.Name), Deadline, "a batch activity stops");
        var activity = activities.Single(a => a.GetTagItem("delivery.destination") as string == scenario.Name);
        Assert.Equal(ActivityKind.Consumer, activity.Kind);
        Assert.Equal(traceIds.Select(t => t.ToHexString()).Order(), activity.Links.Select(l => l.Context.TraceId.ToHexString()).Order());
    }
}
