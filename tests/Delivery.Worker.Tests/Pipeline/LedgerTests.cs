using System.Diagnostics;
using Confluent.Kafka;
using Delivery.Worker.Kafka.Embedded;
using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>
/// Ledger runs: every event id must end in exactly one of {delivered, dead-lettered}, none missing, under a clean run,
/// a restart, a rebalance and broker faults. The figures are printed and written to artifacts/ledger-*.json.
/// </summary>
public sealed class LedgerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Ledger_TenThousandEventsWithScripts_EveryEventDeliveredOrDeadLetteredExactlyOnce()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = NewScenario(cluster);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxEvents"] = "250";

        var ledger = await RunAsync(scenario, "clean", 10_000, async () => await scenario.StartWorkerAsync());

        Assert.Equal(0, ledger.DuplicateDeliveries);
        Assert.Equal(0, ledger.DuplicateDeadLetters);
    }

    [Fact]
    public async Task Restart_WhileBatchesInFlight_NothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = NewScenario(cluster);
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(20);

        var ledger = await RunAsync(scenario, "restart", 3_000, async () =>
        {
            var first = await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 1_000, Deadline, "a third is delivered");
            await scenario.StopWorkerAsync(first);
            await scenario.StartWorkerAsync();
        });

        Assert.InRange(ledger.DuplicateDeliveries, 0, 4 * 50 * 2);
    }

    [Fact]
    public async Task Rebalance_SecondWorkerJoinsAndLeaves_NothingLostDuplicatesWithinInFlightWindow()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = NewScenario(cluster);

        // About 1,000 events/s: 2 batches of 10 in flight, 20 ms each.
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(20);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxEvents"] = "10";
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxConcurrent"] = "2";

        var ledger = await RunAsync(scenario, "rebalance", 4_000, async () =>
        {
            await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 800, Deadline, "a fifth is delivered");
            var second = await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Hosts.Count == 2 && PipelineScenario.Status(second).Single().InFlightEvents > 0, Deadline, "the second worker has work");
            var joined = scenario.Destination.Delivered.Count;
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= joined + 800, Deadline, "both workers deliver for a while");
            await scenario.StopWorkerAsync(second);
        });

        // The in-flight window per rebalance: what is resolved but not yet committed when the group starts to
        // rebalance (the mock cluster, unlike Kafka, refuses commits while the group is joining): one commit
        // interval plus one heartbeat at ~1,000 events/s, plus the batches in flight. Three rebalances at most.
        Assert.InRange(ledger.DuplicateDeliveries, 0, 3 * ((1_000 * 3 / 10) + (2 * 10)));
    }

    [Fact]
    public async Task BrokerFaults_ProduceCommitErrorsAndBrokerDown_NothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var scenario = NewScenario(cluster);
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(5);

        // The group coordinator may be the broker taken down: keep the session longer than the outage.
        scenario.Settings["Delivery:Kafka:Client:session.timeout.ms"] = "6000";

        var ledger = await RunAsync(scenario, "faults", 4_000, async () =>
        {
            var mock = cluster.Embedded;
            if (mock is not null)
            {
                // Retriable errors (the client retries them) and errors the pipeline must retry itself.
                mock.PushRequestErrors(KafkaApiKey.Produce, [.. Enumerable.Repeat(ErrorCode.NotEnoughReplicas, 10), .. Enumerable.Repeat(ErrorCode.RequestTimedOut, 5)]);
                mock.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.RequestTimedOut, 10);
            }

            // Start with every request recorded, so the test can show the faults were hit.
            mock?.StartRequestTracking();

            await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 1_000, Deadline, "a quarter is delivered");
            if (mock is not null)
            {
                mock.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition, 10);

                // Non-retriable for the client: the delivery report fails and the pipeline itself must retry.
                mock.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.MsgSizeTooLarge, 3);
                mock.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.NotCoordinatorForGroup, 5);
                mock.SetBrokerDown(2);
                var down = Stopwatch.StartNew();
                var delivered = scenario.Destination.Delivered.Count;

                // The fault lasts about a second (a scenario parameter, not synchronisation).
                await Wait.UntilAsync(() => down.Elapsed >= TimeSpan.FromSeconds(1), Deadline, "the broker has been down for a second");
                output.WriteLine($"delivered while broker 2 was down: {scenario.Destination.Delivered.Count - delivered}");
                mock.SetBrokerUp(2);
            }
        });

        Assert.InRange(ledger.DuplicateDeliveries, 0, 4 * 50 * 2);
        if (cluster.Embedded is { } embedded)
        {
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
        await using var scenario = NewScenario(cluster);
        scenario.Destination.Latency = TimeSpan.FromMilliseconds(10);
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxEvents"] = "20";
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxInFlightEvents"] = "300";
        cluster.Embedded?.SetGroupCoordinator(scenario.Group, 3);

        var ledger = await RunAsync(scenario, "lost", 3_000, async () =>
        {
            await scenario.StartWorkerAsync();
            await Wait.UntilAsync(() => scenario.Destination.Delivered.Count >= 500, Deadline, "a sixth is delivered");
            if (cluster.Embedded is { } mock)
            {
                // The session (2 s) expires while the coordinator is down: the partitions are lost, nothing is committed.
                mock.SetBrokerDown(3);
                await Wait.UntilAsync(() => scenario.Logged(3004) > 0, Deadline, "the worker reports its partitions lost");
                mock.SetBrokerUp(3);
            }
        });

        output.WriteLine($"lost partitions reported {scenario.Logged(3004)} time(s); duplicates {ledger.DuplicateDeliveries}");

        // A lost partition redelivers what was not committed: bounded by MaxInFlightEvents (300), which also counts
        // resolved events stuck behind an unresolved one, plus the batches in flight and the records already fetched
        // when the limit was reached, and the retry records of the redelivered window.
        Assert.InRange(ledger.DuplicateDeliveries, 0, 3 * 300);
    }

    private PipelineScenario NewScenario(KafkaTestCluster cluster)
    {
        var scenario = new PipelineScenario(cluster, output, new ScriptedDestination(Script));
        scenario.Settings[$"{scenario.Prefix}:Retry:MaxAttempts"] = "3";
        scenario.Settings["Delivery:Kafka:TopicPartitions"] = "4";
        return scenario;
    }

    /// <summary>Deterministic by id: 1 in 20 non-retryable, 1 in 20 always retryable (exhausted), 1 in 10 fails once or twice.</summary>
    private static EventScript Script(string eventId)
    {
        var i = int.Parse(eventId.AsSpan(eventId.LastIndexOf('-') + 1), System.Globalization.CultureInfo.InvariantCulture);
        return (i % 20) switch
        {
            0 => EventScript.FailAlways(400),
            1 => EventScript.FailAlways(503),
            2 or 12 => EventScript.FailTimes(1 + (i % 3 == 0 ? 1 : 0), 500),
            _ => EventScript.Succeed,
        };
    }

    private static bool ExpectDeadLetter(int i) => i % 20 is 0 or 1;

    private async Task<Ledger> RunAsync(PipelineScenario scenario, string name, int count, Func<Task> run)
    {
        var clock = Stopwatch.StartNew();
        await scenario.CreateSourceAsync(partitions: 4);
        var ids = Enumerable.Range(0, count).Select(i => $"ev-{i}").ToList();
        await scenario.ProduceEventsAsync(ids);
        var expectedDead = Enumerable.Range(0, count).Where(ExpectDeadLetter).Select(i => $"ev-{i}").ToHashSet(StringComparer.Ordinal);
        var expectedDelivered = ids.Where(id => !expectedDead.Contains(id)).ToHashSet(StringComparer.Ordinal);

        await run();

        using var dlq = scenario.Cluster.Read(scenario.DeadLetterTopic);
        try
        {
            await Wait.UntilAsync(
                () => expectedDelivered.IsSubsetOf(scenario.Destination.Delivered.Select(d => d.EventId))
                    && dlq.Poll().Count >= expectedDead.Count,
                Deadline,
                "every event is delivered or dead-lettered");
            foreach (var topic in new[] { scenario.SourceTopic, scenario.RetryTopic(1), scenario.RetryTopic(2) })
            {
                await Wait.UntilAsync(() => scenario.Cluster.CommittedLag(scenario.Group, topic) == 0, Deadline, $"{topic} is fully committed");
            }
        }
        catch (TimeoutException)
        {
            var missing = expectedDelivered.Except(scenario.Destination.Delivered.Select(d => d.EventId)).Take(10);
            output.WriteLine($"not delivered (first 10): {string.Join(",", missing)}; dead-lettered {dlq.Records.Count}/{expectedDead.Count}; logged dead-letters {scenario.Logged(3011)}");
            var deadIds = dlq.Records.Select(r => Delivery.Worker.Kafka.DeliveryHeaderCodec.GetString(r.Message.Headers, Delivery.Worker.Kafka.DeliveryHeaders.EventId)).ToHashSet();
            output.WriteLine($"not dead-lettered (first 10): {string.Join(",", expectedDead.Where(id => !deadIds.Contains(id)).Take(10))}");
            output.WriteLine($"dead-letter topic watermarks: {dlq.Watermarks()}");

            foreach (var topic in new[] { scenario.SourceTopic, scenario.RetryTopic(1), scenario.RetryTopic(2) })
            {
                output.WriteLine($"committed lag {topic}: {scenario.Cluster.CommittedLag(scenario.Group, topic)}");
            }

            foreach (var host in scenario.Hosts)
            {
                foreach (var pipeline in Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Worker.Pipeline.DeliveryPipelineHost>(host.Services).Pipelines)
                {
                    output.WriteLine($"{pipeline.Name}: {pipeline.Status()} {pipeline.DescribePartitions()}");
                }
            }

            throw;
        }

        dlq.Poll();
        var ledger = Ledger.Compute(name, ids, scenario.Destination.Delivered.Select(d => d.EventId), dlq.Records);
        ledger.Report(output);
        foreach (var group in scenario.Destination.Delivered.GroupBy(d => d.EventId).Where(g => g.Count() > 1).Take(8))
        {
            output.WriteLine($"duplicate {group.Key}: " + string.Join("; ", group.Select(d => $"attempt {d.Attempt} at {d.At:HH:mm:ss.fff}")));
        }

        output.WriteLine($"{name}: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(0, ledger.Missing);
        Assert.Equal(0, ledger.InBoth);
        Assert.Equal(expectedDelivered.Count, ledger.Delivered);
        Assert.Equal(expectedDead.Count, ledger.DeadLettered);
        return ledger;
    }
}
