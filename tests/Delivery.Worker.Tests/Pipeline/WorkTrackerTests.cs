using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class WorkTrackerTests : IDisposable
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();
    private readonly LoopWakeup _wakeup;
    private readonly WorkTracker _work;

    public WorkTrackerTests()
    {
        _wakeup = new LoopWakeup(_time);
        _work = new WorkTracker("d", PipelineUnits.Metrics(), _time, _wakeup);
    }

    [Fact]
    public void Resolve_ReleasesTheRecordAndMakesItsOffsetCommittable()
    {
        var state = PipelineUnits.Partition();
        var record = PipelineUnits.Record(state, 0);
        _work.Tracked();
        Assert.True(state.TryStart());
        record.Started = true;

        _work.Resolve(record, final: true);

        Assert.Equal(0, _work.InFlight);
        Assert.Equal(0, state.Started);
        Assert.Equal(1, state.Tracker.Committable);
    }

    [Fact]
    public void Abandon_ReleasesTheRecordButNeverResolvesIt()
    {
        var state = PipelineUnits.Partition();
        var record = PipelineUnits.Record(state, 0);
        _work.Tracked();

        _work.Abandon(record);

        Assert.Equal(0, _work.InFlight);
        Assert.Null(state.Tracker.Committable);
    }

    [Fact]
    public void Resolve_AfterAbandon_IsIgnored()
    {
        var state = PipelineUnits.Partition();
        var record = PipelineUnits.Record(state, 0);
        _work.Tracked();
        _work.Tracked();

        _work.Abandon(record);
        _work.Resolve(record, final: true);

        Assert.Equal(1, _work.InFlight);
        Assert.Null(state.Tracker.Committable);
    }

    [Fact]
    public void HoldBeganAndEnded_CountHeldBatches()
    {
        _work.HoldBegan();
        _work.HoldBegan();
        _work.HoldEnded();

        Assert.Equal(1, _work.Holding);
    }

    [Fact]
    public void TryStart_AfterRevoke_Refuses()
    {
        var state = PipelineUnits.Partition();
        Assert.True(state.TryStart());

        state.Revoke();

        Assert.False(state.TryStart());
        Assert.Equal(1, state.Started);
        state.Finish();
        Assert.Equal(0, state.Started);
        Assert.True(state.IsRevoked);
    }

    public void Dispose() => _wakeup.Dispose();
}
