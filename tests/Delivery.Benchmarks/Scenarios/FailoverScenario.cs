using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Delivery.Benchmarks.Infrastructure;
using Delivery.Benchmarks.Reporting;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Tests.Process.Fleet;

namespace Delivery.Benchmarks.Scenarios;

/// <summary>
/// Running as a fleet (issue 12): separate delivery-worker processes with the defaults users get (GroupProtocol Auto
/// → KIP-848 on the embedded cluster, no client keys) on a fresh embedded cluster per phase (KIP-848 session 10 s,
/// heartbeat 1 s), 6 partitions, ~1,000 events/s, HttpBatch to a Kestrel API answering after 20 ms. Phases: cold
/// start and crash (SIGKILL of the only replica, immediate restart); rolling update (a second replica joins, 8 s later
/// the first gets SIGTERM); scale 1 → 3 → 1 (two replicas join at once, then leave one after the other on SIGTERM).
/// </summary>
internal static class FailoverScenario
{
    private const int Partitions = 6;
    private const double Rate = 1_000;
    private static readonly TimeSpan ServiceTime = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(5);

    public static async Task<JsonObject> RunAsync(BenchContext context)
    {
        var session = EmbeddedKafkaCluster.DefaultConsumerGroupSessionTimeout;
        var crash = await CrashAsync(context);
        var rolling = await RollingUpdateAsync(context);
        var scale = await ScaleAsync(context);

        var lost = crash.Lost + rolling.Lost + scale.Lost;
        var duplicates = crash.Duplicates + rolling.Duplicates + scale.Duplicates;
        var crashTarget = session + TimeSpan.FromSeconds(2);
        const string S = "failover";
        context.Checks.Add(new Check(S, "cold start: replica process started → first event delivered", Stats.Round(crash.ColdStart.TotalSeconds, 2), "s", "reported (no target; includes .NET process start)", true));
        context.Checks.Add(new Check(S, "crash recovery: SIGKILL + immediate restart → every event produced before the kill delivered", Stats.Round(crash.Recovery.TotalSeconds, 2), "s", Inv($"≤ {crashTarget.TotalSeconds:0} (KIP-848 session {session.TotalSeconds:0} s + 2 s)"), crash.Recovery <= crashTarget));
        context.Checks.Add(new Check(S, "rolling update (join, 8 s later SIGTERM of the first): worst wait of an event", Stats.Round(rolling.WorstWait.TotalSeconds, 2), "s", "≤ 2", rolling.WorstWait <= TimeSpan.FromSeconds(2)));
        context.Checks.Add(new Check(S, "scale-out 1 → 3: worst wait of partitions that did not move, beyond steady state", Stats.Round(scale.UnmovedBeyondSteady.TotalSeconds, 3), "s", "≤ 0.25", scale.UnmovedBeyondSteady <= TimeSpan.FromMilliseconds(250),
            Inv($"steady-state worst wait {scale.SteadyWorst.TotalSeconds:0.000} s, during the scale-out {scale.UnmovedWorst.TotalSeconds:0.000} s")));
        context.Checks.Add(new Check(S, "events lost (all phases)", lost, "events", "0", lost == 0));
        context.Checks.Add(new Check(S, "duplicate deliveries (all phases)", duplicates, "events", "reported (bound: what moved partitions delivered uncommitted)", true,
            Inv($"crash {crash.Duplicates} (uncommitted at the kill {crash.UncommittedAtKill}), rolling {rolling.Duplicates}, scale {scale.Duplicates}")));

        return new JsonObject
        {
            ["setup"] = Inv($"separate delivery-worker processes, defaults (GroupProtocol Auto → {"Consumer"}, no client keys), {Partitions} partitions, {Rate:0} events/s, HttpBatch with {ServiceTime.TotalMilliseconds:0} ms service time, embedded cluster KIP-848 session {session.TotalSeconds:0} s / heartbeat {EmbeddedKafkaCluster.DefaultConsumerGroupHeartbeatInterval.TotalSeconds:0} s"),
            ["loadAverage"] = MachineFacts.LoadAverage(),
            ["crash"] = crash.Json,
            ["rollingUpdate"] = rolling.Json,
            ["scale"] = scale.Json,
        };
    }

    private static async Task<Phase> CrashAsync(BenchContext context)
    {
        using var cluster = Cluster();
        await using var fleet = await Fleet(cluster);
        fleet.StartProducing();
        var first = fleet.StartReplica();
        await Until(() => !fleet.Destination.Receipts.IsEmpty, "the first replica delivers");
        var coldStart = Stopwatch.GetElapsedTime(first.StartedAt, fleet.Destination.Receipts.Min(r => r.At));
        await During(Steady);

        await first.KillAsync();
        var killedAt = Stopwatch.GetTimestamp();
        await Until(() => fleet.Destination.Reading == 0, "the destination finished reading the killed replica's requests");
        var committed = fleet.CommittedOffsets();
        var receivedAtKill = fleet.Destination.Receipts.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        fleet.StartReplica();
        var beforeKill = fleet.Producer!.ProducedBetween(0, killedAt);
        await Until(() => fleet.AllReceived(beforeKill), "every event produced before the kill is delivered");
        var firstReceipts = fleet.FirstReceipts();
        var recovery = Stopwatch.GetElapsedTime(killedAt, beforeKill.Max(id => firstReceipts[id].At));
        await During(Steady);
        var ledger = await CloseAsync(fleet, "crash");
        var uncommitted = receivedAtKill.Count(id => fleet.Producer.Offsets.TryGetValue(id, out var o) && o.Offset >= committed.GetValueOrDefault(o.Partition));
        context.Log(Inv($"failover crash: cold start {coldStart.TotalSeconds:0.00} s, recovery {recovery.TotalSeconds:0.00} s, uncommitted at the kill {uncommitted}; {ledger}"));
        return new Phase(ledger)
        {
            ColdStart = coldStart,
            Recovery = recovery,
            UncommittedAtKill = uncommitted,
            Json = new JsonObject
            {
                ["coldStartSeconds"] = Stats.Round(coldStart.TotalSeconds, 3),
                ["recoverySeconds"] = Stats.Round(recovery.TotalSeconds, 3),
                ["deliveredUncommittedAtKill"] = uncommitted,
                ["uncommittedBound"] = fleet.UncommittedBound,
                ["ledger"] = ledger.ToString(),
            },
        };
    }

    private static async Task<Phase> RollingUpdateAsync(BenchContext context)
    {
        using var cluster = Cluster();
        await using var fleet = await Fleet(cluster);
        fleet.StartProducing();
        var first = fleet.StartReplica();
        await Until(() => fleet.DistinctReceived() > 0, "the first replica delivers");
        await During(Steady);

        var joinedAt = Stopwatch.GetTimestamp();
        fleet.StartReplica();
        await During(TimeSpan.FromSeconds(8));
        var terminatedAt = Stopwatch.GetTimestamp();
        first.Terminate();
        if (!await first.WaitForExitAsync(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("the first replica did not exit within 60 s of SIGTERM");
        }

        var exit = Stopwatch.GetElapsedTime(terminatedAt);
        await During(Steady);
        var ledger = await CloseAsync(fleet, "rolling");
        var first_ = fleet.FirstReceipts();
        var joinWindow = fleet.Producer!.ProducedBetween(joinedAt, terminatedAt);
        var leaveWindow = fleet.Producer.ProducedBetween(terminatedAt, long.MaxValue);
        var worstJoin = fleet.WorstWait(joinWindow, first_);
        var worstLeave = fleet.WorstWait(leaveWindow, first_);
        var worst = worstJoin > worstLeave ? worstJoin : worstLeave;
        context.Log(Inv($"failover rolling update: worst wait {worst.TotalSeconds:0.00} s (join {worstJoin.TotalSeconds:0.00} s, leave {worstLeave.TotalSeconds:0.00} s), SIGTERM → exit {exit.TotalSeconds:0.00} s; {ledger}"));
        return new Phase(ledger)
        {
            WorstWait = worst,
            Json = new JsonObject
            {
                ["worstWaitSeconds"] = Stats.Round(worst.TotalSeconds, 3),
                ["worstWaitJoinSeconds"] = Stats.Round(worstJoin.TotalSeconds, 3),
                ["worstWaitLeaveSeconds"] = Stats.Round(worstLeave.TotalSeconds, 3),
                ["sigtermToExitSeconds"] = Stats.Round(exit.TotalSeconds, 3),
                ["ledger"] = ledger.ToString(),
            },
        };
    }

    private static async Task<Phase> ScaleAsync(BenchContext context)
    {
        using var cluster = Cluster();
        await using var fleet = await Fleet(cluster);
        fleet.StartProducing();
        fleet.StartReplica();
        await Until(() => fleet.DistinctReceived() > 0, "the first replica delivers");
        await During(Steady);
        var steadyFrom = Stopwatch.GetTimestamp() - (long)(Steady.TotalSeconds * 0.8 * Stopwatch.Frequency);

        var scaleOutAt = Stopwatch.GetTimestamp();
        var second = fleet.StartReplica();
        var third = fleet.StartReplica();
        await Until(() => fleet.Destination.Receipts.Any(r => r.Replica == "r2") && fleet.Destination.Receipts.Any(r => r.Replica == "r3"), "both new replicas deliver");
        await During(Steady);
        var settledAt = Stopwatch.GetTimestamp();
        var kept = fleet.PartitionsOf("r1", settledAt - Stopwatch.Frequency, settledAt);

        var scaleInAt = Stopwatch.GetTimestamp();
        foreach (var replica in new[] { third, second })
        {
            replica.Terminate();
            if (!await replica.WaitForExitAsync(TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException($"{replica.Name} did not exit within 60 s of SIGTERM");
            }
        }

        await During(Steady);
        var ledger = await CloseAsync(fleet, "scale");
        var first_ = fleet.FirstReceipts();
        bool Kept(string id) => kept.Contains(FleetProducer.PartitionOf(id));
        var steady = fleet.WorstWait(fleet.Producer!.ProducedBetween(steadyFrom, scaleOutAt).Where(Kept), first_);
        var unmoved = fleet.WorstWait(fleet.Producer.ProducedBetween(scaleOutAt, settledAt).Where(Kept), first_);
        var scaleOutAll = fleet.WorstWait(fleet.Producer.ProducedBetween(scaleOutAt, settledAt), first_);
        var scaleInAll = fleet.WorstWait(fleet.Producer.ProducedBetween(scaleInAt, long.MaxValue), first_);
        var beyond = unmoved > steady ? unmoved - steady : TimeSpan.Zero;
        context.Log(Inv($"failover scale: r1 kept {string.Join(",", kept.Order())}; unmoved worst {unmoved.TotalSeconds:0.000} s vs steady {steady.TotalSeconds:0.000} s; any event during scale-out {scaleOutAll.TotalSeconds:0.00} s, scale-in {scaleInAll.TotalSeconds:0.00} s; {ledger}"));
        return new Phase(ledger)
        {
            SteadyWorst = steady,
            UnmovedWorst = unmoved,
            UnmovedBeyondSteady = beyond,
            Json = new JsonObject
            {
                ["keptPartitions"] = string.Join(",", kept.Order()),
                ["steadyWorstWaitSeconds"] = Stats.Round(steady.TotalSeconds, 3),
                ["unmovedWorstWaitSeconds"] = Stats.Round(unmoved.TotalSeconds, 3),
                ["scaleOutWorstWaitAnySeconds"] = Stats.Round(scaleOutAll.TotalSeconds, 3),
                ["scaleInWorstWaitAnySeconds"] = Stats.Round(scaleInAll.TotalSeconds, 3),
                ["ledger"] = ledger.ToString(),
            },
        };
    }

    private static EmbeddedKafkaCluster Cluster() => EmbeddedKafkaCluster.Start(3, TimeSpan.FromMilliseconds(10));

    private static async Task<FleetScenario> Fleet(EmbeddedKafkaCluster cluster)
    {
        var fleet = await FleetScenario.CreateAsync(
            (topic, partitions) =>
            {
                cluster.CreateTopic(topic, partitions, 1);
                return Task.CompletedTask;
            },
            cluster.BootstrapServers,
            Partitions,
            Rate,
            ServiceTime);

        // Diagnostics only (never set by ./build.sh bench): FAILOVER_KAFKA_EXTRA='"GroupProtocol": "Classic", …' adds
        // members to the replicas' Delivery:Kafka section, to compare other client settings.
        fleet.KafkaExtra = Environment.GetEnvironmentVariable("FAILOVER_KAFKA_EXTRA") ?? string.Empty;
        return fleet;
    }

    private static async Task<FleetLedger> CloseAsync(FleetScenario fleet, string phase)
    {
        await fleet.Producer!.StopAsync();

        // Diagnostics only: FAILOVER_OUTPUT_DIR=dir keeps every replica's log of each phase.
        if (Environment.GetEnvironmentVariable("FAILOVER_OUTPUT_DIR") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, $"failover-{phase}.log"), string.Join(Environment.NewLine, fleet.Replicas.Select(r => r.Output(100_000))));
        }

        var produced = fleet.Producer.ProducedAt.Keys.ToList();
        try
        {
            await Until(() => fleet.AllReceived(produced), "every produced event is delivered");
        }
        catch (TimeoutException)
        {
            // Reported as lost events.
        }

        return fleet.Ledger();
    }

    private static Task Until(Func<bool> condition, string because) => Poll.UntilAsync(condition, Deadline, because, everyMs: 20);

    /// <summary>Lets the fleet run for <paramref name="span"/> (the scenario's schedule, not a synchronisation).</summary>
    private static Task During(TimeSpan span)
    {
        var until = Stopwatch.GetTimestamp() + (long)(span.TotalSeconds * Stopwatch.Frequency);
        return Poll.UntilAsync(() => Stopwatch.GetTimestamp() >= until, span + TimeSpan.FromSeconds(5), "the phase ran its time", everyMs: 20);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Phase(FleetLedger ledger)
    {
        public long Lost => ledger.Missing.Count;

        public long Duplicates => ledger.Duplicates;

        public TimeSpan ColdStart { get; init; }

        public TimeSpan Recovery { get; init; }

        public long UncommittedAtKill { get; init; }

        public TimeSpan WorstWait { get; init; }

        public TimeSpan SteadyWorst { get; init; }

        public TimeSpan UnmovedWorst { get; init; }

        public TimeSpan UnmovedBeyondSteady { get; init; }

        public required JsonObject Json { get; init; }
    }
}
