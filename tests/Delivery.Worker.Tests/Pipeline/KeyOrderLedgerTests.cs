using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>Ordering: PerKey on the embedded cluster (issue 15): the per-key order ledger, alone and across a rebalance.</summary>
public sealed class KeyOrderLedgerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PerKey_TwentyThousandEventsTransientFailuresAndPoisonKey_EveryKeyInProduceOrderNothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        // The poison event asks for 2 s before each retry, so its key (and its partition's commit point) waits ~4 s,
        // while the transient retries elsewhere resolve within ~0.4 s: its partition alone fills the window. With the
        // scenario's 150/250 ms delays for the poison too, that was a race it lost in about one run in four.
        var stalled = new EventScript([], Verdict.Fail(503, retryAfter: TimeSpan.FromSeconds(2)));
        await using var scenario = OrderingLedger.NewScenario(cluster, output, id => id == $"ev-{OrderingLedger.Poison}" ? stalled : OrderingLedger.Script(id));

        // Small enough that a partition whose keys wait for retries reaches it and pauses alone.
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxInFlightEvents"] = "2000";

        await OrderingLedger.RunAsync(scenario, output, "per-key", 20_000, async () => await scenario.StartWorkerAsync());

        // Some partition reached the limit behind waiting keys and paused alone (EventId 3060), and resumed (3061).
        Assert.True(scenario.Logged(3060) > 0, "no partition paused on its own");
        Assert.True(scenario.Logged(3061) > 0, "no partition resumed");

        // Held in place: no retry record was written to a tier topic.
        using var tier = cluster.Read(scenario.RetryTopic(1));
        Assert.Empty(tier.Poll());
    }

    [Fact]
    public async Task PerKey_SecondWorkerJoinsAndLeaves_OrderKeptDuplicatesAllowed()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = OrderingLedger.NewScenario(cluster, output);
        // KIP-848: its broker-side assignor splits the source topic between the workers (classic cooperative-sticky may
        // hand the newcomer only retry-tier partitions, which PerKey never writes to), within about a heartbeat.
        scenario.Settings["Delivery:Kafka:GroupProtocol"] = "Consumer";
        scenario.Settings.Remove("Delivery:Kafka:Client:heartbeat.interval.ms");
        scenario.Settings.Remove("Delivery:Kafka:Client:session.timeout.ms");
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(20);

        await OrderingLedger.RunAsync(scenario, output, "per-key-rebalance", 20_000, async () =>
        {
            await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 3_000, OrderingLedger.Deadline, "3,000 are delivered");
            var second = await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => PipelineScenario.Status(second).Single().InFlightEvents > 0, OrderingLedger.Deadline, "the second worker has work");
            var joined = scenario.Destination.Delivered.Count;
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= joined + 2_000, OrderingLedger.Deadline, "both workers deliver for a while");
            await scenario.StopWorkerAsync(second);
        });
    }

    [Fact]
    public async Task PerKey_WorkerStopsMidwayAndAnotherStarts_OrderKeptNothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = OrderingLedger.NewScenario(cluster, output);
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(10);

        await OrderingLedger.RunAsync(scenario, output, "per-key-restart", 10_000, async () =>
        {
            var first = await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 3_000, OrderingLedger.Deadline, "a third is delivered");
            await scenario.StopWorkerAsync(first);
            await scenario.StartWorkerAsync();
        });
    }
}
