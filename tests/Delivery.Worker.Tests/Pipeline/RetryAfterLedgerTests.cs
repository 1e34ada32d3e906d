using Confluent.Kafka;
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
/// even the capped wait would pass MaxAge, or retried after the cap otherwise. With the default caps (1 h, MaxAge 4 h)
/// the tier head rule keeps the hour-long wait from holding the partition: it goes to the tier's tail, copied at most
/// once per bound.
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

    [Fact]
    public async Task Ledger_OneDayLongRetryAfterWithDefaultCaps_OthersNotDelayedByItInTheirTierPartition()
    {
        using var cluster = KafkaTestCluster.Create();
        var destination = Destination();
        var delay = TimeSpan.FromMilliseconds(500);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var scenario = await StartAsync(cluster, output, destination, s =>
        {
            // The default MaxRetryAfter (1 h) and MaxAge (4 h): the long one is retried an hour out, in tier 1 with
            // the others. One short tier keeps the run quick.
            s.Settings.Remove($"{s.Prefix}:Retry:Delays:1");
            s.Settings[$"{s.Prefix}:Retry:Delays:0"] = PipelineScenario.Ms(delay);
        });
        Assert.False(scenario.Settings.ContainsKey($"{scenario.Prefix}:Retry:MaxRetryAfter"));
        Assert.False(scenario.Settings.ContainsKey($"{scenario.Prefix}:Retry:MaxAge"));

        // A tier partition waits on its head no longer than the tier's delay × (1 + Jitter) while records are behind
        // it; each other event's retry may take that plus the time to work through 1,000 retries on a busy machine.
        var bound = delay * (1 + scenario.Setting<double>($"{scenario.Prefix}:Retry:Jitter"));
        var deadline = bound + TimeSpan.FromSeconds(10);
        await Wait.UntilAsync(
            () => destination.Delivered.Select(d => d.EventId).Distinct().Count() == Others,
            LedgerRun.Deadline,
            "the others are delivered");

        var firstAttempts = destination.Seen.Where(s => s.Attempt == 1).GroupBy(s => s.EventId).ToDictionary(g => g.Key, g => g.Min(s => s.At), StringComparer.Ordinal);
        var waits = destination.Delivered.Select(d => d.At - firstAttempts[d.EventId]).Order().ToArray();
        output.WriteLine($"{Others} others: first attempt to delivery median {waits[waits.Length / 2].TotalMilliseconds:F0} ms, max {waits[^1].TotalMilliseconds:F0} ms (deadline {deadline.TotalMilliseconds:F0} ms, tier bound {bound.TotalMilliseconds:F0} ms)");
        Assert.All(destination.Delivered, d => Assert.Equal(2, d.Attempt));
        Assert.True(waits[^1] <= deadline, $"an event took {waits[^1]} from its first attempt to its delivery, more than {deadline}");

        // Nothing lost: the tier is committed up to the long one's latest copy, which waits alone at its tail.
        var tier = scenario.RetryTopic(1);
        await Wait.UntilAsync(() => cluster.CommittedLag(scenario.Group, scenario.SourceTopic) == 0 && cluster.CommittedLag(scenario.Group, tier) == 1, LedgerRun.Deadline, "the source is committed and the tier up to the long one");

        // The long one is still pending: neither delivered nor dead-lettered, never tried again.
        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        Assert.Empty(dlq.Poll());
        Assert.DoesNotContain(destination.Delivered, d => d.EventId == LongId);
        Assert.Equal([1], destination.Seen.Where(s => s.EventId == LongId).Select(s => s.Attempt));

        // Its copies in the tier are the same record (not new attempts), and there are few of them: at most one per
        // bound of the run, plus the original and one.
        using var tierReader = cluster.Read(tier);
        var copies = tierReader.Poll().Where(r => DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.EventId) == LongId).ToArray();
        var run = clock.Elapsed;
        output.WriteLine($"{LongId}: {copies.Length} records in {tier} (the original and {copies.Length - 1} requeued) over {run.TotalSeconds:F1} s");
        Assert.InRange(copies.Length, 1, (int)(run / bound) + 2);
        Assert.All(copies, c =>
        {
            Assert.Equal(copies[0].Message.Value, c.Message.Value);
            Assert.Equal(copies[0].Message.Headers.Select(h => (h.Key, h.GetValueBytes())), c.Message.Headers.Select(h => (h.Key, h.GetValueBytes())));
        });
        Assert.True(DeliveryHeaderCodec.TryDecode(copies[^1].Message.Headers, out var headers, out var problem), problem);
        Assert.Equal(1, headers.Attempt);
        Assert.True(headers.NotBefore > TimeProvider.System.GetUtcNow().AddMinutes(55), $"due {headers.NotBefore}: the capped Retry-After (1 h) is kept");
    }

    [Fact]
    public async Task Ledger_TwoLongRetryAftersAloneInATier_EachCopiedAtMostOncePerBound()
    {
        // Two long waits and nothing else: each one's copy is behind the other. A copy enters the tier anew and holds
        // the partition for a bound before it can be requeued again, so they are not copied round and round.
        using var cluster = KafkaTestCluster.Create();
        var destination = new ScriptedDestination(_ => new EventScript([], Verdict.Fail(503, retryAfter: Day)));
        var delay = TimeSpan.FromMilliseconds(300);
        var scenario = new PipelineScenario(cluster, output, destination);
        await using var _ = scenario;
        scenario.Settings["Delivery:Kafka:TopicPartitions"] = "1";
        scenario.Settings.Remove($"{scenario.Prefix}:Retry:Delays:1");
        scenario.Settings[$"{scenario.Prefix}:Retry:Delays:0"] = PipelineScenario.Ms(delay);
        await scenario.CreateSourceAsync(partitions: 1);
        await scenario.ProduceEventsAsync(["long-a", "long-b"]);
        await scenario.StartWorkerAsync();
        var bound = delay * (1 + scenario.Setting<double>($"{scenario.Prefix}:Retry:Jitter"));

        using var tier = cluster.Read(scenario.RetryTopic(1));
        ConsumeResult<byte[], byte[]>[] Copies(string id) => [.. tier.Records.Where(r => DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.EventId) == id)];
        await Wait.UntilAsync(() => tier.Poll().Count > 0 && Copies("long-a").Length >= 4 && Copies("long-b").Length >= 4, LedgerRun.Deadline, "each long one was requeued three times");

        foreach (var id in new[] { "long-a", "long-b" })
        {
            var at = Copies(id).Select(r => r.Message.Timestamp.UnixTimestampMs).ToArray();
            var gaps = at.Zip(at.Skip(1), (a, b) => TimeSpan.FromMilliseconds(b - a)).ToArray();
            output.WriteLine($"{id}: {at.Length} records, gaps {string.Join(", ", gaps.Select(g => $"{g.TotalMilliseconds:F0} ms"))} (bound {bound.TotalMilliseconds:F0} ms)");
            Assert.All(gaps, g => Assert.True(g >= bound - TimeSpan.FromMilliseconds(2), $"{id} was copied {g} after its previous copy, within the bound {bound}"));
        }

        Assert.Empty(destination.Delivered);
        Assert.Equal(2, destination.Seen.Count);
    }
}
