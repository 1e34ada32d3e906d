using System.Text;
using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Worker.Kafka;
using Delivery.Worker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>
/// The delivery invoker's rules through the real pipeline: the hold back-off cap, the handler timeout becoming a hold,
/// the circuit breaker opening and closing, and the redrive count carried into retry and DLQ records.
/// </summary>
public sealed class ResilienceTests(ITestOutputHelper output)
{
    private const int HoldingEventId = 3006;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hold_RetryAfterAboveHoldMaxBackoff_CappedToHoldMaxBackoff()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        var calls = 0;
        destination.Override = _ => Interlocked.Increment(ref calls) == 1
            ? throw new DestinationUnavailableException("come back tomorrow", 503, TimeSpan.FromHours(1))
            : null;
        await using var scenario = new PipelineScenario(cluster, output, destination);
        var holdMax = TimeSpan.FromMilliseconds(400);
        scenario.Settings["Delivery:Pipeline:HoldMaxBackoff"] = PipelineScenario.Ms(holdMax);
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["only"]);

        await scenario.StartWorkerAsync();

        // A one-hour Retry-After would park the batch for an hour; the hold caps every wait at HoldMaxBackoff, so the
        // batch is retried long before this deadline (which is generous for a loaded machine, and far below an hour).
        await Wait.UntilAsync(() => destination.Delivered.Count == 1, TimeSpan.FromSeconds(20), "the held batch is retried after HoldMaxBackoff, not after the Retry-After");
        Assert.Equal(1, destination.Delivered.Single().Attempt);
        var (first, second) = (destination.Seen.First().At, destination.Delivered.Single().At);
        output.WriteLine($"retried after {(second - first).TotalMilliseconds:F0} ms (HoldMaxBackoff {holdMax.TotalMilliseconds} ms)");
        Assert.True(second - first >= holdMax - TimeSpan.FromMilliseconds(50), $"retried after {second - first}, before the capped back-off");
    }

    [Fact]
    public async Task HandlerTimeout_SlowHandler_HeldAs504WithoutBurningAnAttempt()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        destination.Latency = TimeSpan.FromSeconds(5); // the destination's own slowness, far past HandlerTimeout
        using var logs = new FakeLoggerProvider(new FakeLogCollector());
        await using var scenario = new PipelineScenario(cluster, output, destination)
        {
            ConfigureServices = services => services.AddSingleton<ILoggerProvider>(logs),
        };
        scenario.Settings["Delivery:Pipeline:HandlerTimeout"] = "00:00:00.300";
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["slow"]);

        await scenario.StartWorkerAsync();
        await Wait.UntilAsync(() => Holds(logs).Any(h => h.Status == "504"), Deadline, "the timed-out call is held as a 504");
        Assert.Empty(destination.Delivered);
        destination.Latency = TimeSpan.Zero;

        await Wait.UntilAsync(() => destination.Delivered.Count == 1, Deadline, "the held batch is delivered on a later call");
        Assert.Equal(1, destination.Delivered.Single().Attempt);
        using var tier1 = cluster.Read(scenario.RetryTopic(1));
        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        Assert.Empty(tier1.Poll());
        Assert.Empty(dlq.Poll());
    }

    [Fact]
    public async Task CircuitBreaker_RepeatedOutage_OpensSoHoldsSkipTheHandlerThenClosesWhenItAnswers()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();
        var down = true;
        destination.Override = _ => Volatile.Read(ref down) ? throw new DestinationUnavailableException("down", 503, null) : null;
        using var logs = new FakeLoggerProvider(new FakeLogCollector());
        await using var scenario = new PipelineScenario(cluster, output, destination)
        {
            ConfigureServices = services => services.AddSingleton<ILoggerProvider>(logs),
        };
        scenario.Settings["Delivery:Pipeline:CircuitMinimumThroughput"] = "2";
        scenario.Settings["Delivery:Pipeline:CircuitFailureRatio"] = "0.5";
        scenario.Settings["Delivery:Pipeline:CircuitBreakDuration"] = "00:00:01";
        scenario.Settings["Delivery:Pipeline:HoldInitialBackoff"] = "00:00:00.050";
        scenario.Settings["Delivery:Pipeline:HoldMaxBackoff"] = "00:00:00.100";
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["a", "b", "c"]);

        await scenario.StartWorkerAsync();

        // Open: hold attempts are answered by the breaker, not by the handler.
        await Wait.UntilAsync(() => Holds(logs).Any(h => h.Reason.Contains("circuit is open", StringComparison.Ordinal)), Deadline, "the breaker opens");
        var callsWhenOpen = destination.CallsStarted;
        var heldWhenOpen = Holds(logs).Count;
        await Wait.UntilAsync(() => Holds(logs).Count >= heldWhenOpen + 3, Deadline, "more holds while open");
        Assert.True(Holds(logs).Count(h => h.Reason.Contains("circuit is open", StringComparison.Ordinal)) >= 3, "holds answered by the open breaker");
        Assert.True(destination.CallsStarted <= callsWhenOpen + 1, $"the handler was called {destination.CallsStarted - callsWhenOpen} times while open (at most the half-open probe)");

        // Closed again: after the break the probe succeeds and delivery goes on.
        Volatile.Write(ref down, false);
        await Wait.UntilAsync(() => destination.Delivered.Select(d => d.EventId).Distinct().Count() == 3, Deadline, "delivered once the destination answers");
        Assert.All(destination.Delivered, d => Assert.Equal(1, d.Attempt));
    }

    [Fact]
    public async Task RedriveCount_OfARedrivenRecord_CarriedIntoItsRetryAndDeadLetterRecords()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination();

        // Attempt 2 (the redriven record on tier 1) fails retryably, attempt 3 non-retryably.
        destination.Script("redriven", new EventScript([Verdict.Succeed, Verdict.Fail(503), Verdict.Fail(400)], Verdict.Succeed));
        await using var scenario = new PipelineScenario(cluster, output, destination);
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.StartWorkerAsync();

        var now = TimeProvider.System.GetUtcNow();
        var headers = DeliveryHeaderCodec.Encode(
            [new Header("event-id", Encoding.UTF8.GetBytes("redriven"))],
            new DeliveryRecordHeaders
            {
                EventId = "redriven",
                Attempt = 1,
                NotBefore = now,
                FirstAttemptAt = now,
                Origin = new EventOrigin(scenario.SourceTopic, 0, 7, now),
                Destination = scenario.Name,
                RedriveCount = 2,
            },
            maxBodyBytes: 1024);
        await cluster.ProduceAsync(scenario.RetryTopic(1), [new Message<byte[], byte[]> { Key = "k"u8.ToArray(), Value = "{\"id\":\"redriven\"}"u8.ToArray(), Headers = headers }]);

        using var tier2 = cluster.Read(scenario.RetryTopic(2));
        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        await Wait.UntilAsync(() => tier2.Poll().Count == 1 && dlq.Poll().Count == 1, Deadline, "the redriven event is retried once, then dead-lettered");

        Assert.Equal("2", Header(tier2.Records.Single(), DeliveryHeaders.RedriveCount));
        Assert.Equal("2", Header(dlq.Records.Single(), DeliveryHeaders.RedriveCount));
        Assert.Equal("3", Header(dlq.Records.Single(), DeliveryHeaders.Attempt));
    }

    private static List<(string Status, string Reason)> Holds(FakeLoggerProvider logs) =>
    [
        .. logs.Collector.GetSnapshot()
            .Where(static r => r.Id.Id == HoldingEventId)
            .Select(static r => (r.GetStructuredStateValue("Status") ?? string.Empty, r.GetStructuredStateValue("Reason") ?? string.Empty)),
    ];

    private static string? Header(ConsumeResult<byte[], byte[]> record, string key) =>
        record.Message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
