using Delivery.Core.Options;
using Delivery.Worker.Pipeline.Controls;
using Delivery.Worker.Tests.Infrastructure;

namespace Delivery.Worker.Tests.Pipeline.Controls;

public sealed class DeliveryControlsTests
{
    [Fact]
    public void Create_Defaults_NoRateLimitAndTheConcurrencyLimitIsMaxConcurrent()
    {
        using var controls = new DeliveryControls(new DestinationOptions { Batch = { MaxConcurrent = 6 } }, PipelineUnits.Clock());

        Assert.Equal(int.MaxValue, controls.MaxEventsPerCall);
        Assert.Equal(6, controls.ConcurrencyLimit);
    }

    [Fact]
    public void Create_EventsLimit_CallsCarryAtMostTheBurst()
    {
        using var controls = new DeliveryControls(new DestinationOptions { RateLimit = { EventsPerSecond = 200 } }, PipelineUnits.Clock());

        Assert.Equal(200, controls.MaxEventsPerCall); // default burst: one second's worth
    }

    [Fact]
    public async Task AcquireAsync_NotAdaptive_NeverWaitsForASlotAndIgnoresOverload()
    {
        using var controls = new DeliveryControls(new DestinationOptions { Batch = { MaxConcurrent = 1 }, Concurrency = { Adaptive = false } }, PipelineUnits.Clock());

        var a = await controls.AcquireAsync(1, CancellationToken.None);
        var b = await controls.AcquireAsync(1, CancellationToken.None); // the workers bound the calls; nothing else

        controls.Release(a, CallSignal.Overloaded);
        controls.Release(b, CallSignal.Overloaded);
        Assert.Equal(1, controls.ConcurrencyLimit);
        Assert.Null(a);
    }

    [Fact]
    public async Task AcquireAsync_BucketEmpty_ItsTimerTopsItUpByTheTimeEarned()
    {
        var time = PipelineUnits.Clock();
        using var controls = new DeliveryControls(new DestinationOptions { RateLimit = { EventsPerSecond = 100, EventsBurst = 50 } }, time);
        controls.Release(await controls.AcquireAsync(50, CancellationToken.None), CallSignal.Healthy); // the burst

        var waiting = controls.AcquireAsync(50, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        // Only the controls' timer (on the TimeProvider) replenishes; each tick adds what the real time since the last
        // one earned, so the wait ends after about half a second however few ticks there were.
        await Wait.UntilAsync(() => { time.Advance(TokenBuckets.Step); return waiting.IsCompleted; }, TimeSpan.FromSeconds(20), "the tokens came back");
        controls.Release(await waiting, CallSignal.Healthy);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaitingForTokens_GivesTheSlotBack()
    {
        using var controls = new DeliveryControls(new DestinationOptions { Batch = { MaxConcurrent = 1 }, RateLimit = { RequestsPerSecond = 0.001, RequestsBurst = 1 } }, PipelineUnits.Clock());
        controls.Release(await controls.AcquireAsync(1, CancellationToken.None), CallSignal.Healthy);
        using var cancel = new CancellationTokenSource();

        var waiting = controls.AcquireAsync(1, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        using var again = new CancellationTokenSource();
        var next = controls.AcquireAsync(1, again.Token).AsTask(); // the slot is free again: this one waits for a token, not a slot
        await again.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }
}
