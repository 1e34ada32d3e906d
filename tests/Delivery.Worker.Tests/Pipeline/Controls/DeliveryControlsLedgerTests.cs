using System.Diagnostics;
using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Pipeline.Controls;

/// <summary>
/// Rate limits and adaptive concurrency through the real worker host (consume loop, lanes, invoker, HttpBatch handler)
/// on the test cluster, against real Kestrel destinations on 127.0.0.1; rates are measured from the server's own
/// receive timestamps.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class DeliveryControlsLedgerTests(ITestOutputHelper output)
{
    private const int Rate = 200;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RateLimit_200EventsPerSecond_DestinationReceives200PerSecondWithinTenPercentOver10s()
    {
        // The window starts a second after the first arrival: the first HTTP request (connection, JIT) is slow, and the
        // calls granted meanwhile arrive together with it; from then on the server sees the limiter's pace. A burst of
        // 50 (a quarter second) lets the bucket make up a short pause of this process on the shared machine; calls
        // carry 10 events, so one call more or less in a second is 5%.
        using var cluster = KafkaTestCluster.Create(1);
        await using var destination = await ControlledDestination.StartAsync();
        await using var scenario = new ControlsScenario(cluster, destination);
        await scenario.CreateTopicsAsync();
        const int events = 18 * Rate; // more than the window needs: the source is always ahead of the limit
        await cluster.ProduceAsync(scenario.Source, ControlsScenario.Events("e", events));

        await scenario.StartAsync("""
            "Batch": { "MaxEvents": 10, "MaxWait": "00:00:00.050", "MaxConcurrent": 4 },
            "RateLimit": { "EventsPerSecond": 200, "EventsBurst": 50 }
            """);
        await Wait.UntilAsync(() => Span(destination) > TimeSpan.FromSeconds(13.2), Deadline, "14 s of arrivals");

        // The window is the limiter's steady state: it starts 3 s after the first arrival, past the start-up of the
        // group (a first commit refused while the new member settles pauses the partitions for a moment, seen as one
        // or two slow seconds right after the first arrival in about one run in three; recorded in decisions.md).
        var arrivals = destination.Received.Select(static r => r.At).Order().ToArray();
        var start = arrivals[0] + (3 * Stopwatch.Frequency);
        var perSecond = new int[10];
        foreach (var at in arrivals)
        {
            var second = (int)Math.Floor(Stopwatch.GetElapsedTime(start, at).TotalSeconds);
            if (at >= start && second < perSecond.Length)
            {
                perSecond[second]++;
            }
        }

        output.WriteLine($"events per second from 3 s after the first arrival: {string.Join(", ", perSecond)}; total {perSecond.Sum()} in 10 s");
        Assert.InRange(perSecond.Sum(), 10 * Rate * 0.9, 10 * Rate * 1.1);
        // Never above the rate (+10%) in any second: what protects the destination. Below it only in at most two
        // seconds: in the full suite a pause of this test process (after ~400 other tests) shows as one slow second
        // that a 50-event burst cannot make up (seen at 80 and 120 in two CI-like runs; decisions.md, found late).
        Assert.All(perSecond, n => Assert.True(n <= Rate * 1.1, $"{n} events in one second, above {Rate} + 10%"));
        Assert.True(perSecond.Count(n => n >= Rate * 0.9) >= 8, $"fewer than 8 of 10 seconds within {Rate} ± 10%: {string.Join(", ", perSecond)}");
    }

    private static TimeSpan Span(ControlledDestination destination)
    {
        var arrivals = destination.Received.Select(static r => r.At).ToArray();
        return arrivals.Length == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(arrivals.Min(), arrivals.Max());
    }

    [Fact]
    public async Task AdaptiveConcurrency_DestinationRejectsAboveTwoConcurrent_ConvergesNearTwoAndDeadLettersNothing()
    {
        const int limit = 2;
        const int events = 2_000;
        using var cluster = KafkaTestCluster.Create(1);
        await using var destination = await ControlledDestination.StartAsync(TimeSpan.FromMilliseconds(40), maxConcurrent: limit);
        await using var scenario = new ControlsScenario(cluster, destination);
        await scenario.CreateTopicsAsync();
        using var dlq = cluster.Read(scenario.DeadLetterTopic);
        using var retries = cluster.Read(scenario.RetryTopic);
        await cluster.ProduceAsync(scenario.Source, ControlsScenario.Events("e", events));

        // The limit can pass limit + 1 only after a whole HealthyInterval at limit + 1 without one 429, that is with the
        // destination never seeing three calls at once although three slots are taken: with 500 ms that happened once
        // in four full-suite runs on the 2 loaded cores (one sample of 4); 2 s is 50 calls' time at 40 ms each.
        await scenario.StartAsync("""
            "Batch": { "MaxEvents": 5, "MaxWait": "00:00:00.050", "MaxConcurrent": 8 },
            "Concurrency": { "HealthyInterval": "00:00:02" }
            """);
        await Wait.UntilAsync(() => destination.Requests > 0, Deadline, "the first requests arrived");
        var converging = Stopwatch.StartNew();
        await Wait.UntilAsync(() => converging.Elapsed > TimeSpan.FromSeconds(1.5) || destination.Received.Count >= events / 2, Deadline, "a second and a half of adaptation");
        var (requestsBefore, rejectedBefore) = (destination.Requests, destination.Rejected);
        var samples = new List<int>();
        while (destination.Received.Select(static r => r.Id).Distinct().Count() < events && converging.Elapsed < Deadline)
        {
            samples.Add(await scenario.ConcurrencyLimitAsync());
        }

        var requests = destination.Requests - requestsBefore;
        var rejected = destination.Rejected - rejectedBefore;
        output.WriteLine($"after convergence: {requests} requests, {rejected} answered 429 ({100.0 * rejected / Math.Max(1, requests):F1}%); limit samples min {samples.Min()} max {samples.Max()} mean {samples.Average():F2} over {samples.Count}; before: {requestsBefore} requests, {rejectedBefore} rejected");
        Assert.Equal(events, destination.Received.Select(static r => r.Id).Distinct().Count());
        Assert.All(samples, s => Assert.InRange(s, 1, limit + 1));
        Assert.InRange(samples.Average(), limit / 2.0, limit + 1);
        Assert.True(rejected <= requests / 4, $"{rejected} of {requests} requests were answered 429 after convergence");
        Assert.True(rejectedBefore > 0, "the destination did push back before the limit came down");
        Assert.Empty(dlq.Poll());
        Assert.Empty(retries.Poll());
    }
}
