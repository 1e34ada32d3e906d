using Delivery.Worker.Health;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class LoopHeartbeatTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(10);
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();

    [Fact]
    public void Beat_ForwardsTurnsToTheLiveness()
    {
        var liveness = new ConsumeLoopLiveness(_time, Stall);
        var heartbeat = new LoopHeartbeat(_time, () => liveness.Register("d"));
        heartbeat.SetRunning(true);

        _time.Advance(Stall + TimeSpan.FromSeconds(1));
        Assert.Equal("d", Assert.Single(liveness.Stalled()).Destination);
        heartbeat.Beat(_time.GetTimestamp());

        Assert.Empty(liveness.Stalled());
        Assert.True(heartbeat.Snapshot().Running);
    }

    [Fact]
    public void SetWaiting_HeldOrPaused_IsNotAStallButTheSoftWaitIs()
    {
        var liveness = new ConsumeLoopLiveness(_time, Stall);
        var heartbeat = new LoopHeartbeat(_time, () => liveness.Register("d"));
        heartbeat.SetRunning(true);

        heartbeat.SetWaiting(LoopWait.Held);
        _time.Advance(Stall * 3);
        Assert.Empty(liveness.Stalled());
        Assert.Equal(LoopWait.Held, heartbeat.Snapshot().Waiting);

        heartbeat.SetWaiting(LoopWait.Backpressure);
        _time.Advance(Stall + TimeSpan.FromSeconds(1));
        Assert.Single(liveness.Stalled());
    }

    [Fact]
    public void SetRunning_False_Unregisters()
    {
        var liveness = new ConsumeLoopLiveness(_time, Stall);
        var heartbeat = new LoopHeartbeat(_time, () => liveness.Register("d"));
        heartbeat.SetRunning(true);
        heartbeat.SetRunning(false);

        _time.Advance(Stall * 2);

        Assert.Empty(liveness.Stalled());
        Assert.False(heartbeat.Snapshot().Running);
    }

    [Fact]
    public void Snapshot_TimeSinceTheLastBeat_ZeroBeforeTheFirst()
    {
        var heartbeat = new LoopHeartbeat(_time);
        Assert.Equal(TimeSpan.Zero, heartbeat.Snapshot().SinceLastBeat);

        heartbeat.Beat(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), heartbeat.Snapshot().SinceLastBeat);
    }
}
