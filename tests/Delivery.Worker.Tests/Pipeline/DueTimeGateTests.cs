using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class DueTimeGateTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();
    private readonly List<PipelineCommand> _posted = [];

    private DueTimeGate Gate() => new(_time, _posted.Add);

    [Fact]
    public void Defer_NotYetDue_WaitsWithASeekPendingAndPostsWhenDue()
    {
        var state = PipelineUnits.Partition("orders.retry.1", retryTier: true);
        var now = _time.GetUtcNow();

        Gate().Defer(state, 7, now.AddSeconds(5), now);

        Assert.True(state.WaitingForDue);
        Assert.Equal(7, state.PendingSeek);
        Assert.Equal(7, state.ExpectedNext);
        _time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_posted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var due = Assert.IsType<PipelineCommand.DuePassed>(Assert.Single(_posted));
        Assert.Same(state, due.Partition);
    }

    [Fact]
    public void DuePassed_SeekAlreadyDone_ResumesAtOnce()
    {
        var state = PipelineUnits.Partition(retryTier: true);
        var now = _time.GetUtcNow();
        Gate().Defer(state, 3, now.AddSeconds(1), now);
        Assert.False(DueTimeGate.SeekDone(state));
        Assert.True(state.WaitingForDue);

        _time.Advance(TimeSpan.FromSeconds(1));
        var due = (PipelineCommand.DuePassed)Assert.Single(_posted);

        Assert.True(DueTimeGate.DuePassed(state, due.Generation));
        Assert.False(state.WaitingForDue);
    }

    [Fact]
    public void DuePassed_SeekStillPending_ResumesOnlyOnceTheSeekTookEffect()
    {
        var state = PipelineUnits.Partition(retryTier: true);
        var now = _time.GetUtcNow();
        Gate().Defer(state, 3, now.AddSeconds(1), now);
        _time.Advance(TimeSpan.FromSeconds(1));
        var due = (PipelineCommand.DuePassed)Assert.Single(_posted);

        Assert.False(DueTimeGate.DuePassed(state, due.Generation));
        Assert.True(state.WaitingForDue);
        Assert.True(DueTimeGate.SeekDone(state));
        Assert.False(state.WaitingForDue);
        Assert.Null(state.PendingSeek);
    }

    [Fact]
    public void DuePassed_OfAnEarlierDeferral_IsIgnored()
    {
        var state = PipelineUnits.Partition(retryTier: true);
        var now = _time.GetUtcNow();
        var gate = Gate();
        gate.Defer(state, 3, now, now);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var stale = (PipelineCommand.DuePassed)Assert.Single(_posted);
        DueTimeGate.SeekDone(state);

        gate.Defer(state, 3, now.AddMinutes(1), _time.GetUtcNow());

        Assert.False(DueTimeGate.DuePassed(state, stale.Generation));
        Assert.True(state.WaitingForDue);
    }

    [Fact]
    public void Admit_WhileWaitingForDue_IgnoresRecords()
    {
        var state = PipelineUnits.Partition(retryTier: true);
        var now = _time.GetUtcNow();
        Gate().Defer(state, 3, now.AddSeconds(1), now);

        Assert.Equal(Admission.Ignore, DueTimeGate.Admit(state, 4));
    }

    [Fact]
    public void Admit_TheDeferredRecordAfterResume_AcceptsItAndForgetsTheExpectation()
    {
        var state = PipelineUnits.Partition(retryTier: true);
        var now = _time.GetUtcNow();
        Gate().Defer(state, 3, now, now);
        DueTimeGate.SeekDone(state);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        DueTimeGate.DuePassed(state, ((PipelineCommand.DuePassed)_posted[0]).Generation);

        Assert.Equal(Admission.Accept, DueTimeGate.Admit(state, 3));
        Assert.Null(state.ExpectedNext);
    }

    [Fact]
    public void Admit_LaterThanTheDeferredRecord_ReportsTheLostSeekFiveTimesThenAccepts()
    {
        var state = PipelineUnits.Partition(retryTier: true);
        state.ExpectedNext = 3;

        for (var i = 0; i < DueTimeGate.MaxLostSeeks; i++)
        {
            Assert.Equal(Admission.SeekLost, DueTimeGate.Admit(state, 5));
        }

        Assert.Equal(Admission.Accept, DueTimeGate.Admit(state, 5));
        Assert.Null(state.ExpectedNext);
        Assert.Equal(0, state.LostSeeks);
    }

    [Fact]
    public void Admit_AlreadyTrackedOffset_IsARewind()
    {
        var state = PipelineUnits.Partition();
        state.LastTracked = 10;

        Assert.Equal(Admission.Rewind, DueTimeGate.Admit(state, 10));
        Assert.Equal(Admission.Accept, DueTimeGate.Admit(state, 11));
    }

    [Fact]
    public void Defer_AgainBeforeTheFirstWasDue_OnlyTheLaterDeferralPosts()
    {
        var state = PipelineUnits.Partition(retryTier: true);
        var now = _time.GetUtcNow();
        var gate = Gate();
        gate.Defer(state, 3, now.AddSeconds(1), now);

        gate.Defer(state, 3, now.AddSeconds(10), now);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(_posted);
        _time.Advance(TimeSpan.FromSeconds(5));

        var due = (PipelineCommand.DuePassed)Assert.Single(_posted);
        Assert.Equal(state.DueGeneration, due.Generation);
    }

    [Fact]
    public void Defer_DueTimeAlreadyPassed_PostsWithoutWaiting()
    {
        var state = PipelineUnits.Partition(retryTier: true);
        var now = _time.GetUtcNow();

        Gate().Defer(state, 3, now.AddSeconds(-30), now);
        _time.Advance(TimeSpan.Zero);

        Assert.IsType<PipelineCommand.DuePassed>(Assert.Single(_posted));
        Assert.True(state.WaitingForDue);
    }

    [Fact]
    public void DuePassed_AgainAfterTheResume_Ignored()
    {
        var state = PipelineUnits.Partition(retryTier: true);
        var now = _time.GetUtcNow();
        Gate().Defer(state, 3, now.AddSeconds(1), now);
        DueTimeGate.SeekDone(state);
        _time.Advance(TimeSpan.FromSeconds(1));
        var due = (PipelineCommand.DuePassed)Assert.Single(_posted);
        Assert.True(DueTimeGate.DuePassed(state, due.Generation));

        Assert.False(DueTimeGate.DuePassed(state, due.Generation));
    }

    [Fact]
    public void StaticDecisions_NullState_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => DueTimeGate.Admit(null!, 0));
        Assert.Throws<ArgumentNullException>(() => DueTimeGate.DuePassed(null!, 0));
        Assert.Throws<ArgumentNullException>(() => DueTimeGate.SeekDone(null!));
        Assert.Throws<ArgumentNullException>(() => Gate().Defer(null!, 0, _time.GetUtcNow(), _time.GetUtcNow()));
    }
}
