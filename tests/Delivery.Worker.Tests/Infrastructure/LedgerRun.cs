using System.Diagnostics;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// Ledger runs: deterministic per-event scripts, then every event id must end in exactly one of {delivered,
/// dead-lettered}, none missing. The figures are printed and written to artifacts/ledger-*.json.
/// </summary>
internal static class LedgerRun
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static PipelineScenario NewScenario(KafkaTestCluster cluster, ITestOutputHelper output)
    {
        var scenario = new PipelineScenario(cluster, output, new ScriptedDestination(Script));
        scenario.Settings[$"{scenario.Prefix}:Retry:MaxAttempts"] = "3";
        scenario.Settings["Delivery:Kafka:TopicPartitions"] = "4";
        return scenario;
    }

    /// <summary>Deterministic by id: 1 in 20 non-retryable, 1 in 20 always retryable (exhausted), 1 in 10 fails once or twice.</summary>
    public static EventScript Script(string eventId)
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

    public static bool ExpectDeadLetter(int i) => i % 20 is 0 or 1;

    public static async Task<Ledger> RunAsync(PipelineScenario scenario, ITestOutputHelper output, string name, int count, Func<Task> run)
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
