using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Delivery.Worker.Kafka;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// The per-key ordering ledger (issue 15): events <c>ev-{i}</c> with key <c>key-{i % Keys}</c>, produced in index order
/// by one idempotent producer (so the partition order of a key is its index order); about 5% fail once or twice
/// (retryable), one event of the poison key always fails until it is dead-lettered. Checked: every event delivered or
/// dead-lettered, nothing lost, and for every key the first delivery of an event comes after the first delivery of every
/// earlier event of its key (duplicates allowed, regressions not); the poison key's later events after its DLQ record.
/// </summary>
internal static class OrderingLedger
{
    public const int Keys = 200;
    public const string PoisonKey = "key-7";
    public const int Poison = 5 * Keys + 7; // the sixth event of key-7

    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    public static string Key(int i) => $"key-{i % Keys}";

    public static EventScript Script(string eventId)
    {
        var i = int.Parse(eventId.AsSpan(eventId.LastIndexOf('-') + 1), CultureInfo.InvariantCulture);
        if (i == Poison)
        {
            return EventScript.FailAlways(503);
        }

        // 5% transient: one in 20 by a scrambled index, a quarter of those twice.
        var h = (int)(((uint)i * 2654435761u) % 400);
        return h < 15 ? EventScript.FailTimes(1, 500) : h < 20 ? EventScript.FailTimes(2, 503) : EventScript.Succeed;
    }

    /// <summary>A PerKey scenario whose destination answers by <paramref name="script"/> (default <see cref="Script"/>).</summary>
    public static PipelineScenario NewScenario(KafkaTestCluster cluster, ITestOutputHelper output, Func<string, EventScript>? script = null)
    {
        var scenario = new PipelineScenario(cluster, output, new ScriptedDestination(script ?? Script));
        scenario.Settings[$"{scenario.Prefix}:Ordering"] = "PerKey";
        scenario.Settings[$"{scenario.Prefix}:Retry:MaxAttempts"] = "3";
        scenario.Settings[$"{scenario.Prefix}:Batch:MaxEvents"] = "100";
        scenario.Settings["Delivery:Kafka:TopicPartitions"] = "4";
        return scenario;
    }

    public static Message<byte[], byte[]> Message(int i) => new()
    {
        Key = Encoding.UTF8.GetBytes(Key(i)),
        Value = Encoding.UTF8.GetBytes($"{{\"id\":\"ev-{i}\"}}"),
        Headers = new Headers { { "event-id", Encoding.UTF8.GetBytes($"ev-{i}") } },
    };

    public static async Task<Ledger> RunAsync(PipelineScenario scenario, ITestOutputHelper output, string name, int count, Func<Task> run)
    {
        var clock = Stopwatch.StartNew();
        await scenario.CreateSourceAsync(partitions: 4);
        await scenario.Cluster.ProduceAsync(scenario.SourceTopic, Enumerable.Range(0, count).Select(Message));
        var ids = Enumerable.Range(0, count).Select(i => $"ev-{i}").ToList();
        var expectedDelivered = ids.Where(id => id != $"ev-{Poison}").ToHashSet(StringComparer.Ordinal);

        await run();

        using var dlq = scenario.Cluster.Read(scenario.DeadLetterTopic);
        await Wait.UntilAsync(
            () => expectedDelivered.IsSubsetOf(scenario.Destination.Delivered.Select(d => d.EventId)) && dlq.Poll().Count >= 1,
            Deadline,
            "every event is delivered or dead-lettered");
        await Wait.UntilAsync(() => scenario.Cluster.CommittedLag(scenario.Group, scenario.SourceTopic) == 0, Deadline, "the source is fully committed");
        output.WriteLine($"{name}: {count} events delivered or dead-lettered and committed in {clock.Elapsed.TotalSeconds:F1} s");

        dlq.Poll();
        var ledger = Ledger.Compute(name, ids, scenario.Destination.Delivered.Select(d => d.EventId), dlq.Records);
        ledger.Report(output);
        Assert.Equal(0, ledger.Missing);
        Assert.Equal(0, ledger.InBoth);
        Assert.Equal(expectedDelivered.Count, ledger.Delivered);
        var dead = Assert.Single(dlq.Records.Select(r => DeliveryHeaderCodec.GetString(r.Message.Headers, DeliveryHeaders.EventId)).Distinct());
        Assert.Equal($"ev-{Poison}", dead);
        var deadAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(DeliveryHeaderCodec.GetString(dlq.Records[0].Message.Headers, DeliveryHeaders.DlqAt)!, CultureInfo.InvariantCulture));

        var regressions = Regressions(scenario.Destination.Delivered, output);
        Assert.Equal(0, regressions);
        var poisonLater = scenario.Destination.Delivered
            .Where(d => Index(d.EventId) > Poison && Key(Index(d.EventId)) == PoisonKey)
            .GroupBy(d => d.EventId)
            .Select(g => g.Min(d => d.At))
            .ToList();
        Assert.NotEmpty(poisonLater);
        Assert.All(poisonLater, at => Assert.True(at >= deadAt, $"a later event of {PoisonKey} was delivered at {at:HH:mm:ss.fff}, before the DLQ record of ev-{Poison} at {deadAt:HH:mm:ss.fff}"));
        return ledger;
    }

    /// <summary>
    /// First deliveries that came before an earlier event of their key was delivered (the poison event counts as done:
    /// its later events are checked against its DLQ time separately).
    /// </summary>
    public static int Regressions(IEnumerable<(string EventId, int Attempt, DateTimeOffset At)> delivered, ITestOutputHelper output)
    {
        var next = new Dictionary<string, int>(StringComparer.Ordinal); // per key: index of the next event not yet seen
        var seen = new HashSet<int>();
        var regressions = 0;
        foreach (var (eventId, _, _) in delivered)
        {
            var i = Index(eventId);
            if (!seen.Add(i))
            {
                continue; // a duplicate: allowed
            }

            var key = Key(i);
            var expected = next.GetValueOrDefault(key, i % Keys);
            if (expected == Poison)
            {
                expected += Keys;
            }

            if (i != expected)
            {
                if (regressions++ < 10)
                {
                    output.WriteLine($"order: {eventId} first delivered while ev-{expected} of {key} was not yet");
                }
            }

            next[key] = Math.Max(expected, i) + Keys;
        }

        return regressions;
    }

    private static int Index(string eventId) => int.Parse(eventId.AsSpan(eventId.LastIndexOf('-') + 1), CultureInfo.InvariantCulture);
}
