using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class FlowControllerTests
{
    private const long Limit = 100;
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);

    private static FlowInput InFlight(long n, long window = 0) => new(n, window, Held: false, Draining: false, Rebalancing: false, CommitStalled: false);

    [Fact]
    public void Decide_BelowLimit_Polls()
    {
        var flow = new FlowController(Limit, Grace, PipelineUnits.Clock());

        var decision = flow.Decide(InFlight(Limit - 1));

        Assert.Equal(FlowAction.Poll, decision.Action);
        Assert.Equal(LoopWait.None, decision.Waiting);
        Assert.Null(decision.Transition);
    }

    [Fact]
    public void Decide_AtLimitWithinGrace_WaitsWithoutPausing()
    {
        var time = PipelineUnits.Clock();
        var flow = new FlowController(Limit, Grace, time);

        var first = flow.Decide(InFlight(Limit));
        time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        var later = flow.Decide(InFlight(Limit));

        Assert.Equal(FlowAction.Wait, first.Action);
        Assert.Equal(FlowAction.Wait, later.Action);
        Assert.Equal(LoopWait.Backpressure, later.Waiting);
        Assert.False(flow.Backpressure);
    }

    [Fact]
    public void Decide_WindowAtLimit_CountsAsPressure()
    {
        var flow = new FlowController(Limit, Grace, PipelineUnits.Clock());

        var decision = flow.Decide(InFlight(3, window: Limit));

        Assert.Equal(FlowAction.Wait, decision.Action);
        Assert.Equal(Limit, decision.Pressure);
    }

    [Fact]
    public void Decide_AtLimitForTheGrace_PausesAllAndReportsOn()
    {
        var time = PipelineUnits.Clock();
        var flow = new FlowController(Limit, Grace, time);
        flow.Decide(InFlight(Limit));

        time.Advance(Grace);
        var decision = flow.Decide(InFlight(Limit));

        Assert.Equal(FlowAction.PauseAll, decision.Action);
        Assert.Equal("on", decision.Transition);
        Assert.Equal(LoopWait.Paused, decision.Waiting);
        Assert.True(flow.Backpressure);
    }

    [Fact]
    public void Decide_ZeroGrace_PausesAtOnce()
    {
        var flow = new FlowController(Limit, TimeSpan.Zero, PipelineUnits.Clock());

        Assert.Equal(FlowAction.PauseAll, flow.Decide(InFlight(Limit)).Action);
    }

    [Fact]
    public void Decide_DropsBelowLimitDuringGrace_RestartsTheGrace()
    {
        var time = PipelineUnits.Clock();
        var flow = new FlowController(Limit, Grace, time);
        flow.Decide(InFlight(Limit));
        time.Advance(Grace - TimeSpan.FromMilliseconds(10));
        Assert.Equal(FlowAction.Poll, flow.Decide(InFlight(Limit - 1)).Action);

        flow.Decide(InFlight(Limit));
        time.Advance(TimeSpan.FromMilliseconds(20));

        Assert.Equal(FlowAction.Wait, flow.Decide(InFlight(Limit)).Action);
    }

    [Fact]
    public void Decide_PausedAtHalf_StaysPausedAndResumesBelowHalf()
    {
        var flow = new FlowController(Limit, TimeSpan.Zero, PipelineUnits.Clock());
        Assert.Equal("on", flow.Decide(InFlight(Limit)).Transition);

        var aboveHalf = flow.Decide(InFlight(Limit - 1));
        var atHalf = flow.Decide(InFlight(Limit / 2));
        var belowHalf = flow.Decide(InFlight((Limit / 2) - 1));

        Assert.Equal(FlowAction.PauseAll, aboveHalf.Action);
        Assert.Equal(FlowAction.PauseAll, atHalf.Action);
        Assert.Null(atHalf.Transition);
        Assert.Equal(FlowAction.Poll, belowHalf.Action);
        Assert.Equal("off", belowHalf.Transition);
        Assert.False(flow.Backpressure);
    }

    [Theory]
    [InlineData(true, false, false, false, "Held")]
    [InlineData(false, true, false, false, "Draining")]
    [InlineData(false, false, true, false, "Paused")]
    [InlineData(false, false, false, true, "Paused")]
    public void Decide_HeldDrainingRebalancingOrCommitStalled_PausesAll(bool held, bool draining, bool rebalancing, bool stalled, string waiting)
    {
        var flow = new FlowController(Limit, Grace, PipelineUnits.Clock());

        var decision = flow.Decide(new FlowInput(0, 0, held, draining, rebalancing, stalled));

        Assert.Equal(FlowAction.PauseAll, decision.Action);
        Assert.Equal(Enum.Parse<LoopWait>(waiting), decision.Waiting);
    }

    [Fact]
    public void Decide_AtLimitWhileHeld_PausesRatherThanWaits()
    {
        var flow = new FlowController(Limit, Grace, PipelineUnits.Clock());

        var decision = flow.Decide(new FlowInput(Limit, 0, Held: true, Draining: false, Rebalancing: false, CommitStalled: false));

        Assert.Equal(FlowAction.PauseAll, decision.Action);
    }

    [Fact]
    public void SoftWaitBudget_IsWhatIsLeftOfTheGraceCappedAtTwentyMilliseconds()
    {
        var time = PipelineUnits.Clock();
        var flow = new FlowController(Limit, Grace, time);
        flow.Decide(InFlight(Limit));

        Assert.Equal(FlowController.MaxSoftWait, flow.SoftWaitBudget());
        time.Advance(Grace - TimeSpan.FromMilliseconds(5));
        Assert.Equal(TimeSpan.FromMilliseconds(5), flow.SoftWaitBudget());
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(TimeSpan.FromMilliseconds(1), flow.SoftWaitBudget());
    }
}
