using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Worker.Kafka;
using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline.Controls;

/// <summary>
/// 10,000 retry-tier records all due at once, in front of a destination that takes 200 ms per request (draining them
/// in arrival order would take about 10 s): first attempts produced meanwhile still reach the destination within
/// 2 × MaxWait, because the retry lane keeps only its share of the handler slots; then every retry is delivered.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class RetryLaneLedgerTests(ITestOutputHelper output)
{
    private const int Retries = 10_000;
    private const int FirstAttempts = 5;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task DueRetryFlood_FirstAttemptsReachTheDestinationWithinTwiceMaxWait()
    {
        using var cluster = KafkaTestCluster.Create(1);
        await using var destination = await ControlledDestination.StartAsync(TimeSpan.FromMilliseconds(200));
        await using var scenario = new ControlsScenario(cluster, destination);
        await scenario.CreateTopicsAsync();
        var now = TimeProvider.System.GetUtcNow();
        await cluster.ProduceAsync(scenario.RetryTopic, Enumerable.Range(0, Retries).Select(i => RetryRecord(scenario.Source, i, now)));

        await scenario.StartAsync($$"""
            "Batch": { "MaxEvents": 50, "MaxWait": "{{MaxWait.ToString("c", CultureInfo.InvariantCulture)}}", "MaxConcurrent": 4, "RetryShare": 0.25 }
            """);
        await Wait.UntilAsync(() => destination.Received.Count >= 200, TimeSpan.FromSeconds(60), "the retry flood is being delivered");

        var produced = Stopwatch.GetTimestamp();
        await cluster.ProduceAsync(scenario.Source, ControlsScenario.Events("first-", FirstAttempts));
        await Wait.UntilAsync(() => destination.Received.Count(static r => r.Id.StartsWith("first-", StringComparison.Ordinal)) == FirstAttempts, TimeSpan.FromSeconds(60), "the first attempts arrived");
        var received = destination.Received.ToArray();
        var firsts = received.Where(static r => r.Id.StartsWith("first-", StringComparison.Ordinal)).ToArray();
        var latest = firsts.Max(static r => r.At);
        var retriesBefore = received.Count(r => !r.Id.StartsWith("first-", StringComparison.Ordinal) && r.At <= latest);
        var latency = Stopwatch.GetElapsedTime(produced, latest);
        output.WriteLine($"first attempts arrived {latency.TotalMilliseconds:F0} ms after they were produced; {retriesBefore} of {Retries} retries had arrived by then");

        Assert.True(latency <= 2 * MaxWait, $"first attempts took {latency} behind the retry flood");
        Assert.True(retriesBefore < Retries / 2, $"the flood was still queued ({retriesBefore} of {Retries} delivered)");
        await Wait.UntilAsync(() => destination.Received.Select(static r => r.Id).Distinct().Count() == Retries + FirstAttempts, TimeSpan.FromSeconds(90), "every retry is delivered too");
    }

    private static Message<byte[], byte[]> RetryRecord(string source, int i, DateTimeOffset now)
    {
        var id = "retry-" + i.ToString(CultureInfo.InvariantCulture);
        var headers = DeliveryHeaderCodec.Encode(
            [],
            new DeliveryRecordHeaders
            {
                EventId = id,
                Attempt = 1,
                NotBefore = now.AddMinutes(-1),
                FirstAttemptAt = now.AddMinutes(-2),
                Origin = new EventOrigin(source, 0, i, now.AddMinutes(-2).UtcDateTime),
            },
            1024);
        return ControlsScenario.Event(id, headers);
    }
}
