using Confluent.Kafka;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>
/// Ledger runs under injected broker faults: embedded cluster only. They carry the fault-injection trait, which
/// ./build.sh test excludes on a broker that cannot inject faults (and says so), rather than running them without faults.
/// </summary>
[Trait("Kafka", KafkaTestCluster.FaultInjectionTrait)]
public sealed class BrokerFaultLedgerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BrokerFaults_ProduceCommitErrorsAndBrokerDown_NothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = LedgerRun.NewScenario(cluster, output);
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(5);

        // The group coordinator may be the broker taken down: keep the session longer than the outage.
        scenario.Settings["Delivery:Kafka:Client:session.timeout.ms"] = "6000";

        var ledger = await LedgerRun.RunAsync(scenario, output, "faults", 4_000, async () =>
        {
            var mock = cluster.FaultInjection;

            // Retriable errors (the client retries them) and errors the pipeline must retry itself.
            mock.PushRequestErrors(KafkaApiKey.Produce, [.. Enumerable.Repeat(ErrorCode.NotEnoughReplicas, 10), .. Enumerable.Repeat(ErrorCode.RequestTimedOut, 5)]);
            mock.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.RequestTimedOut, 10);

            // Start with every request recorded, so the test can show the faults were hit.
            mock.StartRequestTracking();

            await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 1_000, LedgerRun.Deadline, "a quarter is delivered");
            {
                mock.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition, 10);

                // Non-retriable for the client: the delivery report fails and the pipeline itself must retry.
                mock.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.MsgSizeTooLarge, 3);
                mock.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.NotCoordinatorForGroup, 5);

                // Counted before the broker goes down: the refused connection can be logged at once, and a count
                // taken after it would wait for a second report that librdkafka may never write (a flaky timeout).
                var clientLogs = scenario.Logged(3022);
                mock.SetBrokerDown(2);
                var delivered = scenario.Destination.Delivered.Count;

                // The broker stays down until the worker's Kafka clients have noticed (librdkafka reports the refused
                // connections through the destination's logger): a state, not a time.
                await Wait.UntilAsync(() => scenario.Logged(3022) > clientLogs, LedgerRun.Deadline, "the clients report broker 2 down");
                output.WriteLine($"delivered while broker 2 was down: {scenario.Destination.Delivered.Count - delivered}");
                mock.SetBrokerUp(2);
            }
        });

        // Redelivered at most: the batches in flight (MaxConcurrent × MaxEvents) when a commit failed, twice (the
        // commit errors and the broker outage are two such windows).
        var inFlightBatches = scenario.Setting<int>($"{scenario.Prefix}:Batch:MaxConcurrent") * scenario.Setting<int>($"{scenario.Prefix}:Batch:MaxEvents");
        Assert.InRange(ledger.DuplicateDeliveries, 0, 2 * inFlightBatches);
        {
            var embedded = cluster.FaultInjection;
            var requests = embedded.GetRequests();
            output.WriteLine($"requests: {requests.Count(r => r.ApiKey == (short)KafkaApiKey.Produce)} Produce, {requests.Count(r => r.ApiKey == (short)KafkaApiKey.OffsetCommit)} OffsetCommit; " +
                $"logged produce failures {scenario.Logged(3008)}, commit failures {scenario.Logged(3009)}");
            Assert.True(scenario.Logged(3008) > 0, "a retry/DLQ produce failed and was retried by the pipeline");
            Assert.True(scenario.Logged(3009) > 0, "an offset commit failed and was retried");
            Assert.Contains(requests, r => r.ApiKey == (short)KafkaApiKey.OffsetCommit);
        }
    }

    [Fact]
    public async Task LostPartitions_CoordinatorDownLongerThanSession_NothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = LedgerRun.NewScenario(cluster, output);
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(10);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxEvents"] = "20";
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxInFlightEvents"] = "300";
        cluster.FaultInjection.SetGroupCoordinator(scenario.Group, 3);

        var ledger = await LedgerRun.RunAsync(scenario, output, "lost", 3_000, async () =>
        {
            await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 500, LedgerRun.Deadline, "a sixth is delivered");
            {
                var mock = cluster.FaultInjection;

                // The session (2 s) expires while the coordinator is down: the partitions are lost, nothing is committed.
                mock.SetBrokerDown(3);
                await Wait.UntilAsync(() => scenario.Logged(3004) > 0, LedgerRun.Deadline, "the worker reports its partitions lost");
                mock.SetBrokerUp(3);
            }
        });

        output.WriteLine($"lost partitions reported {scenario.Logged(3004)} time(s); duplicates {ledger.DuplicateDeliveries}");

        // A lost partition redelivers what was not committed: bounded by MaxInFlightEvents (300), which also counts
        // resolved events stuck behind an unresolved one, plus the batches in flight and the records already fetched
        // when the limit was reached, and the retry records of the redelivered window.
        Assert.InRange(ledger.DuplicateDeliveries, 0, 3 * scenario.Setting<int>($"{scenario.Prefix}:Batch:MaxInFlightEvents"));
    }
}
