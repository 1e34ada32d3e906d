using Delivery.Core.Outcomes;
using Delivery.Worker.Kafka;
using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>
/// Issue 17's ledger: one event answers <c>Retry-After: 86400</c> while 1,000 others fail once and retry normally. All
/// of them share one source partition and one retry-tier partition, and the long one is first, so a day-long park at
/// the head of the tier would hold every other retry behind it. With <c>Retry:MaxRetryAfter</c> it cannot: the
/// others are delivered within the run's deadline (seconds, not a day) and the long one is dead-lettered at once when
/// even the capped wait would pass MaxAge, or retried after the cap otherwise.
/// </summary>
public sealed class RetryAfterLedgerTests(ITestOutputHelper output)
{
    private const int Others = 1_000;
    private const string LongId = "ra-long";
    private static readonly TimeSpan Day = TimeSpan.FromSeconds(86400);

    private static ScriptedDestination Destination()
        => new(id => id == LongId
            ? new EventScript([], Verdict.Fail(503, retryAfter: Day))
            : EventScript.FailTimes(1, 503));

    private static async Task<PipelineScenario> StartAsync(KafkaTestCluster cluster, ITestOutputHelper output, ScriptedDestination destination, Action<PipelineScenario> configure)
    {
        var scenario = new PipelineScenario(cluster, output, destination);
        scenario.Settings["Delivery:Kafka:TopicPartitions"] = "1";
        configure(scenario);
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync([LongId, .. Enumerable.Range(0, Others).Select(i => $"ra-{i}")]);
        await scenario.StartWorkerAsync();
        return scenario;
    }

    [Fact]
    public async Task Ledger_OneDayLongRetryAfterPastMaxAge_DeadLetteredAtOnceOthersDelivered()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = Destination();
        await using var scenario = await StartAsync(cluster, output, destination, s =>
        {
            // The capped Retry-After (1 h, the default) would bring the event back after its MaxAge of 10 min.
            s.Settings[$"{s.Prefix}:Retry:MaxAge"] = "00:10:00";
        });

        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        await Wait.UntilAsync(
            () => destination.Delivered.Select(d => d.EventId).Distinct().Count() == Others && dlq.Poll().Count >= 1,
            LedgerRun.Deadline,
            "the others are delivered and the long one is dead-lettered");

        var record = Assert.Single(dlq.Records);
        Assert.True(DeliveryHeaderCodec.TryDecode(record.Message.Headers, out var headers, out var problem), problem);
        Assert.Equal(LongId, headers.EventId);
        Assert.Equal(DeadLetterReason.MaxAgeExceeded, headers.DeadLetterReason);
        Assert.Equal(1, headers.Attempt);
        Assert.Equal([1], destination.Seen.Where(s => s.EventId == LongId).Select(s => s.Attempt));
        Assert.DoesNotContain(destination.Delivered, d => d.EventId == LongId);
        Assert.All(destination.Delivered, d => Assert.Equal(2, d.Attempt));
        output.WriteLine($"{Others} others delivered on attempt 2; {LongId} dead-lettered {headers.DeadLetterReason} after attempt {headers.Attempt}");
    }

    [Fact]
    public async Task Ledger_OneDayLongRetryAfterWithinMaxAge_CappedToMaxRetryAfterOthersDelivered()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = Destination();
        var cap = TimeSpan.FromSeconds(1);
        await using var scenario = await StartAsync(cluster, output, destination, s => s.Settings[$"{s.Prefix}:Retry:MaxRetryAfter"] = PipelineScenario.Ms(cap));
        var maxAttempts = scenario.Setting<int>($"{scenario.Prefix}:Retry:MaxAttempts");

        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        await Wait.UntilAsync(
            () => destination.Delivered.Select(d => d.EventId).Distinct().Count() == Others && dlq.Poll().Count >= 1,
            LedgerRun.Deadline,
            "the others are delivered and the long one exhausts its attempts");

        var record = Assert.Single(dlq.Records);
        Assert.True(DeliveryHeaderCodec.TryDecode(record.Message.Headers, out var headers, out var problem), problem);
        Assert.Equal(LongId, headers.EventId);
        Assert.Equal(DeadLetterReason.RetriesExhausted, headers.DeadLetterReason);
        Assert.Equal(maxAttempts, headers.Attempt);

        // Each retry of the long one waited the cap (the destination asked for a day), never less.
        var attempts = destination.Seen.Where(s => s.EventId == LongId).OrderBy(s => s.Attempt).ToArray();
        Assert.Equal(Enumerable.Range(1, maxAttempts), attempts.Select(a => a.Attempt));
        for (var i = 1; i < attempts.Length; i++)
        {
            var gap = attempts[i].At - attempts[i - 1].At;
            output.WriteLine($"attempt {attempts[i].Attempt} after {gap.TotalMilliseconds:F0} ms (cap {cap.TotalMilliseconds} ms)");
            Assert.True(gap >= cap - TimeSpan.FromMilliseconds(50), $"attempt {attempts[i].Attempt} came {gap} after the previous one, before the capped Retry-After");
        }

        Assert.All(destination.Delivered, d => Assert.Equal(2, d.Attempt));
    }
}
