using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>Ledger run while a second worker joins and leaves the group.</summary>
public sealed class RebalanceLedgerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rebalance_SecondWorkerJoinsAndLeaves_NothingLostDuplicatesWithinInFlightWindow()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = LedgerRun.NewScenario(cluster, output);

        // About 1,000 events/s: 2 batches of 10 in flight, 20 ms each.
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(20);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxEvents"] = "10";
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxConcurrent"] = "2";

        var ledger = await LedgerRun.RunAsync(scenario, output, "rebalance", 4_000, async () =>
        {
            await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 800, LedgerRun.Deadline, "a fifth is delivered");
            var second = await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Hosts.Count == 2 && PipelineScenario.Status(second).Single().InFlightEvents > 0, LedgerRun.Deadline, "the second worker has work");
            var joined = scenario.Destination.Delivered.Count;
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= joined + 800, LedgerRun.Deadline, "both workers deliver for a while");
            await scenario.StopWorkerAsync(second);
        });

        // The in-flight window per rebalance: what is resolved but not yet committed when the group starts to
        // rebalance (the mock cluster, unlike Kafka, refuses commits while the group is joining): one commit
        // interval plus one heartbeat at ~1,000 events/s, plus the batches in flight. Three rebalances at most.
        const int eventsPerSecond = 1_000; // MaxConcurrent × MaxEvents / Latency = 2 × 10 / 20 ms
        var commitWindow = scenario.Setting<TimeSpan>("Delivery:Pipeline:CommitInterval")
            + TimeSpan.FromMilliseconds(scenario.Setting<int>("Delivery:Kafka:Client:heartbeat.interval.ms"));
        var inFlightBatches = scenario.Setting<int>($"{scenario.Prefix}:Batch:MaxConcurrent") * scenario.Setting<int>($"{scenario.Prefix}:Batch:MaxEvents");
        const int rebalances = 3; // join, leave, and one extra for a member that rejoins; half again for a late commit
        Assert.InRange(ledger.DuplicateDeliveries, 0, rebalances * ((int)(eventsPerSecond * commitWindow.TotalSeconds * 1.5) + inFlightBatches));
    }
}
