using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>Ledger runs without broker faults: a clean 10,000-event run and a restart while batches are in flight.</summary>
public sealed class LedgerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ledger_TenThousandEventsWithScripts_EveryEventDeliveredOrDeadLetteredExactlyOnce()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = LedgerRun.NewScenario(cluster, output);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxEvents"] = "250";

        var ledger = await LedgerRun.RunAsync(scenario, output, "clean", 10_000, async () => await scenario.StartWorkerAsync());

        Assert.Equal(0, ledger.DuplicateDeliveries);
        Assert.Equal(0, ledger.DuplicateDeadLetters);
    }

    [Fact]
    public async Task Restart_WhileBatchesInFlight_NothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = LedgerRun.NewScenario(cluster, output);
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(20);

        var ledger = await LedgerRun.RunAsync(scenario, output, "restart", 3_000, async () =>
        {
            var first = await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 1_000, LedgerRun.Deadline, "a third is delivered");
            await scenario.StopWorkerAsync(first);
            await scenario.StartWorkerAsync();
        });

        // A graceful stop finishes the batches it started and commits them; what may come again is at most the batches
        // in flight (MaxConcurrent × MaxEvents) whose commit had not reached the broker, plus as many retry records.
        var inFlightBatches = scenario.Setting<int>($"{scenario.Prefix}:Batch:MaxConcurrent") * scenario.Setting<int>($"{scenario.Prefix}:Batch:MaxEvents");
        Assert.InRange(ledger.DuplicateDeliveries, 0, 2 * inFlightBatches);
    }
}
