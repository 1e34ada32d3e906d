using System.Diagnostics;
using System.Globalization;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Tests.Infrastructure;
using Delivery.Worker.Tests.Process.Fleet;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Process;

/// <summary>
/// DESIGN §6 "Fleet" with the defaults users get (no Delivery:Kafka:Client keys, GroupProtocol Auto, which picks
/// KIP-848 on the embedded cluster through the ApiVersions probe): separate delivery-worker processes crash and
/// restart, roll and scale while a steady stream is produced. Each closes a ledger: nothing lost, duplicates no more
/// than what the replicas whose partitions moved can have delivered without committing
/// (<see cref="FleetScenario.UncommittedBound"/>, derived from MaxConcurrent × MaxEvents, the rate and CommitInterval).
/// The waits are asserted loosely here (a stall is tens of seconds: the classic protocol on the mock waits
/// session.timeout.ms − 1 s = 44 s per rebalance); the failover benchmark measures them against the issue's targets.
/// </summary>
public sealed class WorkerFleetTests(ITestOutputHelper output)
{
    private const int Partitions = 6;
    private const double Rate = 300;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>How long a crashed member keeps its partitions: the embedded cluster's KIP-848 session, else Kafka's default.</summary>
    private static TimeSpan SessionTimeout(KafkaTestCluster cluster) => cluster.Embedded is null ? TimeSpan.FromSeconds(45) : EmbeddedKafkaCluster.DefaultConsumerGroupSessionTimeout;

    [Fact]
    public async Task Sigkill_ImmediateRestart_ResumesWithinSessionTimeoutNothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var fleet = await FleetScenario.CreateAsync(cluster.CreateTopicAsync, cluster.BootstrapServers, Partitions, Rate, TimeSpan.FromMilliseconds(20));
        try
        {
            fleet.StartProducing();
            var first = fleet.StartReplica();
            await Wait.UntilAsync(() => fleet.DistinctReceived() >= 600 || first.HasExited, Deadline, "the first replica delivers");
            Assert.False(first.HasExited, "the first replica exited on its own");

            await first.KillAsync();
            var killedAt = Stopwatch.GetTimestamp();
            await Wait.UntilAsync(() => fleet.Destination.Reading == 0, TimeSpan.FromSeconds(10), "the destination finished reading requests of the killed replica");
            var committed = fleet.CommittedOffsets();
            var receivedAtKill = fleet.Destination.Receipts.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var second = fleet.StartReplica();

            var beforeKill = fleet.Producer!.ProducedBetween(0, killedAt);
            await Wait.UntilAsync(() => fleet.AllReceived(beforeKill) || second.HasExited, Deadline, "every event produced before the kill is delivered");
            var first_ = fleet.FirstReceipts();
            var recovery = Stopwatch.GetElapsedTime(killedAt, beforeKill.Max(id => first_[id].At));

            await Wait.UntilAsync(() => fleet.Destination.Receipts.Count(r => r.Replica == "r2") >= 600, Deadline, "the restarted replica keeps delivering");
            var ledger = await StopAndCloseLedgerAsync(fleet);

            // Delivered before the kill but above the committed offsets: what the restarted replica redelivers.
            var uncommittedDelivered = receivedAtKill.Count(id => fleet.Producer.Offsets.TryGetValue(id, out var o) && o.Offset >= committed.GetValueOrDefault(o.Partition));
            output.WriteLine(Inv($"crash recovery {recovery.TotalSeconds:F1} s (session timeout {SessionTimeout(cluster).TotalSeconds:F0} s); delivered but uncommitted at the kill {uncommittedDelivered} (bound {fleet.UncommittedBound}); {ledger}"));

            Assert.Empty(ledger.Missing);
            Assert.Equal(0, ledger.Unexpected);
            Assert.InRange(uncommittedDelivered, 0, fleet.UncommittedBound);
            Assert.InRange(ledger.Duplicates, 0, uncommittedDelivered);
            Assert.True(recovery < SessionTimeout(cluster) + TimeSpan.FromSeconds(10), Inv($"crash recovery took {recovery.TotalSeconds:F1} s"));
        }
        finally
        {
            output.WriteLine(fleet.Output());
        }
    }

    [Fact]
    public async Task RollingUpdate_SecondJoinsFirstGetsSigterm_NoStallNothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var fleet = await FleetScenario.CreateAsync(cluster.CreateTopicAsync, cluster.BootstrapServers, Partitions, Rate, TimeSpan.FromMilliseconds(20));
        try
        {
            fleet.StartProducing();
            var first = fleet.StartReplica();
            await Wait.UntilAsync(() => fleet.DistinctReceived() >= 600 || first.HasExited, Deadline, "the first replica delivers");

            var joinedAt = Stopwatch.GetTimestamp();
            var second = fleet.StartReplica();
            await Wait.UntilAsync(() => fleet.Destination.Receipts.Count(r => r.Replica == "r2") >= 300 || second.HasExited, Deadline, "the new replica took partitions and delivers");
            var split = fleet.PartitionsOf("r1", Stopwatch.GetTimestamp() - Stopwatch.Frequency, Stopwatch.GetTimestamp());

            first.Terminate();
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(40)), "the first replica drained and exited after SIGTERM");
            var exitedAt = Stopwatch.GetTimestamp();
            await Wait.UntilAsync(() => fleet.PartitionsOf("r2", exitedAt, Stopwatch.GetTimestamp()).Count == Partitions, Deadline, "the remaining replica owns every partition");

            var ledger = await StopAndCloseLedgerAsync(fleet);
            var window = fleet.Producer!.ProducedBetween(joinedAt, Stopwatch.GetTimestamp());
            var worst = fleet.WorstWait(window);
            output.WriteLine(Inv($"rolling update: r1 kept {split.Count} partitions after the join; worst wait {worst.TotalSeconds:F2} s over {window.Count} events; {ledger}"));

            Assert.InRange(split.Count, 1, Partitions - 1);
            Assert.Empty(ledger.Missing);
            Assert.Equal(0, ledger.Unexpected);
            Assert.InRange(ledger.Duplicates, 0, 2 * fleet.UncommittedBound);
            Assert.True(worst < TimeSpan.FromSeconds(5), Inv($"an event waited {worst.TotalSeconds:F1} s during the rolling update"));
        }
        finally
        {
            output.WriteLine(fleet.Output());
        }
    }

    [Fact]
    public async Task Scale_OneToThreeToOne_UnmovedPartitionsKeepFlowingNothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var fleet = await FleetScenario.CreateAsync(cluster.CreateTopicAsync, cluster.BootstrapServers, Partitions, Rate, TimeSpan.FromMilliseconds(20));
        try
        {
            fleet.StartProducing();
            var first = fleet.StartReplica();
            await Wait.UntilAsync(() => fleet.DistinctReceived() >= 900 || first.HasExited, Deadline, "the first replica delivers");
            var steadyFrom = Stopwatch.GetTimestamp() - (2 * Stopwatch.Frequency);

            var scaleOutAt = Stopwatch.GetTimestamp();
            var second = fleet.StartReplica();
            var third = fleet.StartReplica();
            await Wait.UntilAsync(
                () => fleet.Destination.Receipts.Count(r => r.Replica == "r2") >= 100 && fleet.Destination.Receipts.Count(r => r.Replica == "r3") >= 100,
                Deadline,
                "both new replicas deliver");
            var settledAt = Stopwatch.GetTimestamp();
            await Wait.UntilAsync(() => fleet.Producer!.ProducedBetween(settledAt, Stopwatch.GetTimestamp()).Count >= 600, Deadline, "two more seconds of the stream");
            var kept = fleet.PartitionsOf("r1", settledAt, Stopwatch.GetTimestamp());

            third.Terminate();
            Assert.True(await third.WaitForExitAsync(TimeSpan.FromSeconds(40)), "r3 drained and exited after SIGTERM");
            second.Terminate();
            Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(40)), "r2 drained and exited after SIGTERM");
            var scaledInAt = Stopwatch.GetTimestamp();
            await Wait.UntilAsync(() => fleet.PartitionsOf("r1", scaledInAt, Stopwatch.GetTimestamp()).Count == Partitions, Deadline, "r1 owns every partition again");

            var ledger = await StopAndCloseLedgerAsync(fleet);
            var first_ = fleet.FirstReceipts();
            var steady = fleet.WorstWait(fleet.Producer!.ProducedBetween(steadyFrom, scaleOutAt).Where(id => kept.Contains(FleetProducer.PartitionOf(id))), first_);
            var unmoved = fleet.WorstWait(fleet.Producer.ProducedBetween(scaleOutAt, settledAt).Where(id => kept.Contains(FleetProducer.PartitionOf(id))), first_);
            var all = fleet.WorstWait(fleet.Producer.ProducedBetween(scaleOutAt, Stopwatch.GetTimestamp()), first_);
            output.WriteLine(Inv($"scale 1→3→1: r1 kept partitions {string.Join(",", kept.Order())}; their worst wait in steady state {steady.TotalSeconds:F2} s, during the scale-out {unmoved.TotalSeconds:F2} s; worst wait of any event from the scale-out on {all.TotalSeconds:F2} s; {ledger}"));

            Assert.InRange(kept.Count, 1, Partitions - 2);
            Assert.Empty(ledger.Missing);
            Assert.Equal(0, ledger.Unexpected);
            Assert.InRange(ledger.Duplicates, 0, 4 * fleet.UncommittedBound);
            Assert.True(unmoved < steady + TimeSpan.FromSeconds(2), Inv($"a partition that did not move waited {unmoved.TotalSeconds:F2} s (steady state {steady.TotalSeconds:F2} s)"));
            Assert.True(all < TimeSpan.FromSeconds(5), Inv($"an event waited {all.TotalSeconds:F1} s while the fleet scaled"));
        }
        finally
        {
            output.WriteLine(fleet.Output());
        }
    }

    [Fact]
    public async Task FrozenLongerThanSession_PartitionsLostAndReassigned_NothingLost()
    {
        using var cluster = KafkaTestCluster.Create();
        await using var fleet = await FleetScenario.CreateAsync(cluster.CreateTopicAsync, cluster.BootstrapServers, Partitions, Rate, TimeSpan.FromMilliseconds(20));
        try
        {
            fleet.StartProducing();
            var first = fleet.StartReplica();
            await Wait.UntilAsync(() => fleet.DistinctReceived() >= 600 || first.HasExited, Deadline, "the first replica delivers");
            var second = fleet.StartReplica();
            await Wait.UntilAsync(() => fleet.Destination.Receipts.Count(r => r.Replica == "r2") >= 300 || second.HasExited, Deadline, "the partitions are shared");

            // r1 stops dead (no heartbeats, no leave) until the broker expires its session and gives r2 its partitions.
            first.Freeze();
            var frozenAt = Stopwatch.GetTimestamp();
            await Wait.UntilAsync(() => fleet.PartitionsOf("r2", Stopwatch.GetTimestamp() - Stopwatch.Frequency, Stopwatch.GetTimestamp()).Count == Partitions, Deadline, "r2 took over every partition");
            var takeover = Stopwatch.GetElapsedTime(frozenAt);

            // r1 wakes up with work in flight for partitions it no longer owns: the lost path commits nothing for them.
            first.Continue();
            var resumedAt = Stopwatch.GetTimestamp();
            await Wait.UntilAsync(() => fleet.PartitionsOf("r1", Stopwatch.GetTimestamp() - Stopwatch.Frequency, Stopwatch.GetTimestamp()).Count > 0 || first.HasExited, Deadline, "r1 rejoined and delivers again");
            Assert.False(first.HasExited, "the frozen replica exited instead of rejoining");

            var ledger = await StopAndCloseLedgerAsync(fleet);
            output.WriteLine(Inv($"frozen r1: r2 owned every partition {takeover.TotalSeconds:F1} s after the freeze (session {SessionTimeout(cluster).TotalSeconds:F0} s); r1 delivers again {Stopwatch.GetElapsedTime(resumedAt).TotalSeconds:F1} s after SIGCONT; {ledger}"));

            Assert.Empty(ledger.Missing);
            Assert.Equal(0, ledger.Unexpected);
            Assert.InRange(ledger.Duplicates, 0, 3 * fleet.UncommittedBound);
            Assert.True(takeover < SessionTimeout(cluster) + TimeSpan.FromSeconds(10), Inv($"the frozen replica's partitions moved after {takeover.TotalSeconds:F1} s"));
        }
        finally
        {
            output.WriteLine(fleet.Output());
        }
    }

    private static async Task<FleetLedger> StopAndCloseLedgerAsync(FleetScenario fleet)
    {
        await fleet.Producer!.StopAsync();
        var produced = fleet.Producer.ProducedAt.Keys.ToList();
        await Wait.UntilAsync(() => fleet.AllReceived(produced), Deadline, "every produced event is delivered");
        return fleet.Ledger();
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
