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
    public void Decide_RemainingWaitExactlyTheBound_WaitsUntilDueEvenWithRecordsBehind()
    {
        var now = _time.GetUtcNow();
        var due = now + Bound1;

        var decision = Rule().Decide(Tier1, due, now, recordsBehind: true);

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 1), decision);
    }

    [Fact]
    public void Decide_RemainingWaitWithinTheBound_WaitsUntilDue()
    {
        var now = _time.GetUtcNow();
        var due = now + Delay1;

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 1), Rule().Decide(Tier1, due, now, recordsBehind: true));
        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 1), Rule().Decide(Tier1, due, now, recordsBehind: false));
    }

    [Fact]
    public void Decide_RemainingWaitPastTheBoundWithRecordsBehind_Requeues()
    {
        var now = _time.GetUtcNow();
        var due = now + Bound1 + TimeSpan.FromTicks(1);

        var decision = Rule().Decide(Tier1, due, now, recordsBehind: true);

        Assert.Equal(TierHeadAction.Requeue, decision.Action);
        Assert.Equal(1, decision.Tier);
    }

    [Fact]
    public void Decide_RemainingWaitPastTheBoundNothingBehind_WaitsOnlyTheBoundThenLooksAgain()
    {
        var now = _time.GetUtcNow();
        var due = now + TimeSpan.FromHours(1);

        var decision = Rule().Decide(Tier1, due, now, recordsBehind: false);

        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, now + Bound1, 1), decision);
    }

    [Fact]
    public void Decide_PastTheBoundNothingBehind_TheGateWakesThePartitionAfterTheBoundNotAtDue()
    {
        var state = PipelineUnits.Partition(Tier1, retryTier: true);
        var now = _time.GetUtcNow();
        var decision = Rule().Decide(Tier1, now + TimeSpan.FromHours(1), now, recordsBehind: false);

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
        var now = _time.GetUtcNow();
        var due = now + TimeSpan.FromSeconds(20);

        // 20 s is past tier 1's bound but within tier 2's (36 s).
        Assert.Equal(TierHeadAction.Requeue, Rule().Decide(Tier1, due, now, recordsBehind: true).Action);
        Assert.Equal(new TierHeadDecision(TierHeadAction.Wait, due, 2), Rule().Decide(Tier2, due, now, recordsBehind: true));
    }

    [Fact]
    public void Decide_NotATierTopic_WaitsUntilDue()
    {
        var now = _time.GetUtcNow();
        var due = now + TimeSpan.FromHours(1);

        Assert.Equal(TierHeadAction.Wait, Rule().Decide("orders", due, now, recordsBehind: true).Action);
        Assert.Equal(due, Rule().Decide("orders", due, now, recordsBehind: true).WakeAt);
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
