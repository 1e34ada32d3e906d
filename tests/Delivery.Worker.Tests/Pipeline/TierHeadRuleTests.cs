using Delivery.Core.Options;
using Delivery.Core.Retry;
using Delivery.Core.Topology;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class TierHeadRuleTests
{
    private const string Tier1 = "d.retry.1";
    private const string Tier2 = "d.retry.2";
    private static readonly TimeSpan Delay1 = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Delay2 = TimeSpan.FromSeconds(30);
    private const double Jitter = 0.2;

    // The longest wait a record entering tier 1 on its plain delay can have: 5 s × 1.2.
    private static readonly TimeSpan Bound1 = TimeSpan.FromSeconds(6);

    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();
    private readonly List<PipelineCommand> _posted = [];

    private static TierHeadRule Rule() => new([Tier1, Tier2], [Delay1, Delay2], Jitter);

    [Fact]
    public void Bound_OfEachTier_IsItsDelayTimesOnePlusJitter()
    {
        var rule = Rule();

        Assert.Equal(Bound1, rule.Bound(Tier1));
        Assert.Equal(TimeSpan.FromSeconds(36), rule.Bound(Tier2));
        Assert.Null(rule.Bound("orders"));
    }

    [Fact]
    public void Decide_DueExactlyTheBoundAfterItEntered_WaitsUntilDueEvenWithRecordsBehind()
    {
        var now = _time.GetUtcNow();
        var due = now + Bound1;

        var decision = Rule().Decide(Tier1, due, entered: now, now, recordsBehind: true);

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 1), decision);
    }

    [Fact]
    public void Decide_PlainDelayRecordAtTheHeadLate_WaitsUntilDue()
    {
        // It entered a while ago (records ahead of it took their time): still within its bound, today's path.
        var entered = _time.GetUtcNow();
        var due = entered + Delay1;
        _time.Advance(TimeSpan.FromSeconds(4));
        var now = _time.GetUtcNow();

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 1), Rule().Decide(Tier1, due, entered, now, recordsBehind: true));
        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 1), Rule().Decide(Tier1, due, entered, now, recordsBehind: false));
    }

    [Fact]
    public void Decide_LongRecordBeforeItsBoundPassed_HoldsThePartitionOnlyUntilEnteredPlusBound()
    {
        var entered = _time.GetUtcNow();
        var due = entered + Bound1 + TimeSpan.FromTicks(1);
        _time.Advance(TimeSpan.FromSeconds(1));

        var decision = Rule().Decide(Tier1, due, entered, _time.GetUtcNow(), recordsBehind: true);

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, entered + Bound1, 1), decision);
    }

    [Fact]
    public void Decide_LongRecordOnceItsBoundPassedWithRecordsBehind_Requeues()
    {
        var entered = _time.GetUtcNow();
        var due = entered + TimeSpan.FromHours(1);
        _time.Advance(Bound1);

        var decision = Rule().Decide(Tier1, due, entered, _time.GetUtcNow(), recordsBehind: true);

        Assert.Equal(TierHeadAction.Requeue, decision.Action);
        Assert.Equal(1, decision.Tier);
    }

    [Fact]
    public void Decide_LongRecordOnceItsBoundPassedNothingBehind_WaitsABoundThenLooksAgain()
    {
        var entered = _time.GetUtcNow();
        var due = entered + TimeSpan.FromHours(1);
        _time.Advance(TimeSpan.FromMinutes(1));
        var now = _time.GetUtcNow();

        var decision = Rule().Decide(Tier1, due, entered, now, recordsBehind: false);

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, now + Bound1, 1), decision);
    }

    [Fact]
    public void Decide_LongRecordNothingBehindDueWithinABound_WaitsUntilDue()
    {
        var entered = _time.GetUtcNow();
        var due = entered + TimeSpan.FromSeconds(10);
        _time.Advance(TimeSpan.FromSeconds(7));

        var decision = Rule().Decide(Tier1, due, entered, _time.GetUtcNow(), recordsBehind: false);

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 1), decision);
    }

    [Fact]
    public void Decide_FreshCopyOfARequeuedRecord_IsNotRequeuedAgainBeforeABound()
    {
        // Two long records alone in a partition: each one's copy is behind the other. Requeueing a copy as soon as it
        // is at the head would copy them round and round; a copy enters anew and waits its bound first.
        var due = _time.GetUtcNow() + TimeSpan.FromHours(1);
        var copied = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMilliseconds(5));

        var decision = Rule().Decide(Tier1, due, copied, _time.GetUtcNow(), recordsBehind: true);

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, copied + Bound1, 1), decision);
    }

    [Fact]
    public void Decide_WithoutATimestamp_MeasuresTheWaitFromNow()
    {
        var now = _time.GetUtcNow();

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, now + Bound1, 1), Rule().Decide(Tier1, now + Bound1, null, now, recordsBehind: true));
        Assert.Equal(TierHeadAction.Requeue, Rule().Decide(Tier1, now + Bound1 + TimeSpan.FromTicks(1), null, now, recordsBehind: true).Action);
        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, now + Bound1, 1), Rule().Decide(Tier1, now + TimeSpan.FromHours(1), null, now, recordsBehind: false));
    }

    [Fact]
    public void Decide_NothingBehind_TheGateWakesThePartitionAfterABoundNotAtDue()
    {
        var state = PipelineUnits.Partition(Tier1, retryTier: true);
        var entered = _time.GetUtcNow();
        _time.Advance(Bound1);
        var now = _time.GetUtcNow();
        var decision = Rule().Decide(Tier1, entered + TimeSpan.FromHours(1), entered, now, recordsBehind: false);

        new DueTimeGate(_time, _posted.Add).Defer(state, 0, decision.WakeAt, now);
        DueTimeGate.SeekDone(state);
        _time.Advance(Bound1 - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_posted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var wake = Assert.IsType<PipelineCommand.DuePassed>(Assert.Single(_posted));
        Assert.True(DueTimeGate.DuePassed(state, wake.Generation));
        Assert.False(state.WaitingForDue);
    }

    [Fact]
    public void Decide_SecondTier_UsesItsOwnBound()
    {
        var entered = _time.GetUtcNow();
        var due = entered + TimeSpan.FromSeconds(20);
        _time.Advance(TimeSpan.FromSeconds(10));
        var now = _time.GetUtcNow();

        // 20 s is past tier 1's bound (6 s) but within tier 2's (36 s).
        Assert.Equal(TierHeadAction.Requeue, Rule().Decide(Tier1, due, entered, now, recordsBehind: true).Action);
        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 2), Rule().Decide(Tier2, due, entered, now, recordsBehind: true));
    }

    [Fact]
    public void Decide_NotATierTopic_WaitsUntilDue()
    {
        var now = _time.GetUtcNow();
        var due = now + TimeSpan.FromHours(1);

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 0), Rule().Decide("orders", due, now - TimeSpan.FromHours(1), now, recordsBehind: true));
    }

    [Fact]
    public void For_Destination_MapsItsTierTopicsToItsPolicysDelaysAndJitter()
    {
        var options = new DestinationOptions
        {
            SourceTopics = ["orders"],
            Retry = new RetryOptions { Delays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)], Jitter = 0.5 },
        };
        var topology = DestinationTopology.For("d", options);

        var rule = TierHeadRule.For(topology, new RetryPolicy(options.Retry));

        Assert.Equal(TimeSpan.FromSeconds(1.5), rule.Bound(topology.TierTopic(1)));
        Assert.Equal(TimeSpan.FromSeconds(15), rule.Bound(topology.TierTopic(2)));
        Assert.Null(rule.Bound("d.retry.3"));
    }
}
