using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Infrastructure;

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
    public void ResolveDelivered_RunsOfTwoPartitions_SameEffectAsOneByOne()
    {
        var a = PipelineUnits.Partition(partition: 0);
        var tier = PipelineUnits.Partition("d.retry.1", partition: 0, retryTier: true);
        var records = new[] { PipelineUnits.Record(a, 0), PipelineUnits.Record(a, 1), PipelineUnits.Record(tier, 0), PipelineUnits.Record(a, 2) };
        foreach (var record in records)
        {
            _work.Tracked(record.Partition.IsRetryTier);
        }

        Assert.True(a.TryStart(2));
        Assert.True(tier.TryStart(1));
        Assert.True(a.TryStart(1));
        Assert.Equal(3, a.Started);
        foreach (var record in records)
        {
            record.Started = true;
        }

        _work.Abandon(records[3]); // already claimed: skipped by the batch resolution
        _work.ResolveDelivered(records, _time.GetUtcNow());

        Assert.Equal(0, _work.InFlight);
        Assert.Equal(0, _work.InFlightRetry);
        Assert.Equal(0, a.Started);
        Assert.Equal(0, tier.Started);
        Assert.Equal(2, a.Tracker.Committable); // 0 and 1 resolved, 2 abandoned: the commit stops at 2
        Assert.Equal(1, tier.Tracker.Committable);
    }

    [Fact]
    public void TryStartCount_AfterRevoke_RefusesTheWholeRun()
    {
        var state = PipelineUnits.Partition();
        Assert.True(state.TryStart(3));
        state.Revoke();

        Assert.False(state.TryStart(2));
        Assert.Equal(3, state.Started);
        state.Finish(3);
        Assert.Equal(0, state.Started);
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

    [Fact]
    public void Resolve_Final_RecordsTheEventsAgeAndAttempts()
    {
        var metrics = PipelineUnits.Metrics();
        using var age = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<double>(metrics.Meter, "delivery.event.age");
        using var attempts = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(metrics.Meter, "delivery.attempts");
        var work = new WorkTracker("d", metrics, _time, _wakeup);
        var state = PipelineUnits.Partition();
        work.Tracked();
        work.Tracked();
        _time.Advance(TimeSpan.FromSeconds(7));

        work.Resolve(PipelineUnits.Record(state, 0), final: true);
        work.Resolve(PipelineUnits.Record(state, 1), final: false);

        Assert.Equal(7, Assert.Single(age.GetMeasurementSnapshot()).Value);
        Assert.Equal(1, Assert.Single(attempts.GetMeasurementSnapshot()).Value); // attempt 0 (unset) counts as 1
    }

    [Fact]
    public void Resolve_FinalThirdAttempt_RecordsThreeAttempts()
    {
        var metrics = PipelineUnits.Metrics();
        using var attempts = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(metrics.Meter, "delivery.attempts");
        var work = new WorkTracker("d", metrics, _time, _wakeup);
        var state = PipelineUnits.Partition();
        var record = PipelineUnits.Record(state, 0);
        var third = new PendingRecord(state, 0, record.Message, new Delivery.Core.Events.DeliveryEvent { EventId = "e", Attempt = 3, FirstAttemptAt = PipelineUnits.Start });
        work.Tracked();

        work.Resolve(third, final: true);

        Assert.Equal(3, Assert.Single(attempts.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task Requeue_WakesTheWaitingLoopAndKeepsTheRecordInFlight()
    {
        var state = PipelineUnits.Partition();
        var record = PipelineUnits.Record(state, 0);
        _work.Tracked();
        Assert.True(state.TryStart());
        record.Started = true;
        var waiting = Task.Run(() => _wakeup.Wait(TimeSpan.FromHours(1), () => state.Started > 0, CancellationToken.None));
        await Wait.UntilAsync(() => _wakeup.HasWaiter, TimeSpan.FromSeconds(20), "the loop waits");

        Assert.True(_work.Requeue(record));

        await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, state.Started);
        Assert.Equal(1, _work.InFlight);
        Assert.False(_work.Requeue(record));
        Assert.Throws<ArgumentNullException>(() => _work.Requeue(null!));
    }

    [Fact]
    public void InFlightRetry_CountsRetryTierRecordsUntilResolvedOrAbandoned()
    {
        var tier = PipelineUnits.Partition("d.retry.1", retryTier: true);
        var source = PipelineUnits.Partition();
        var retry = PipelineUnits.Record(tier, 0);
        var abandoned = PipelineUnits.Record(tier, 1);
        var first = PipelineUnits.Record(source, 0);
        _work.Tracked(retryTier: true);
        _work.Tracked(retryTier: true);
        _work.Tracked();
        Assert.Equal(2, _work.InFlightRetry);
        Assert.Equal(3, _work.InFlight);

        _work.Resolve(first, final: true);
        Assert.Equal(2, _work.InFlightRetry);
        _work.Resolve(retry, final: true);
        _work.Abandon(abandoned);

        Assert.Equal(0, _work.InFlightRetry);
        Assert.Equal(0, _work.InFlight);
    }
}
