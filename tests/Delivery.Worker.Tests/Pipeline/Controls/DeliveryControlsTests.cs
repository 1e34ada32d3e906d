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

    [Fact]
    public async Task AcquireAsync_SmallCalls_TakeOnlyTheirOwnTokens()
    {
        using var controls = new DeliveryControls(new DestinationOptions { RateLimit = { EventsPerSecond = 0.01, EventsBurst = 10 } }, PipelineUnits.Clock());

        controls.Release(await controls.AcquireAsync(3, CancellationToken.None), CallSignal.Healthy);
        var rest = controls.AcquireAsync(7, CancellationToken.None).AsTask();

        Assert.True(rest.IsCompletedSuccessfully);
        controls.Release(await rest, CallSignal.Healthy);
        Assert.False(controls.AcquireAsync(1, CancellationToken.None).AsTask().IsCompleted);
    }

    [Fact]
    public async Task AcquireAsync_RequestsLimitOnly_ItsTimerTopsTheBucketUp()
    {
        var time = PipelineUnits.Clock();
        using var controls = new DeliveryControls(new DestinationOptions { RateLimit = { RequestsPerSecond = 100, RequestsBurst = 5 } }, time);
        for (var i = 0; i < 5; i++)
        {
            controls.Release(await controls.AcquireAsync(1, CancellationToken.None), CallSignal.Healthy);
        }

        var waiting = controls.AcquireAsync(1, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        await Wait.UntilAsync(() => { time.Advance(TokenBuckets.Step); return waiting.IsCompleted; }, TimeSpan.FromSeconds(20), "the request token came back");
        controls.Release(await waiting, CallSignal.Healthy);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaitingForTokens_TheSlotServesTheNextCall()
    {
        var time = PipelineUnits.Clock();
        using var controls = new DeliveryControls(new DestinationOptions { Batch = { MaxConcurrent = 1 }, RateLimit = { RequestsPerSecond = 100, RequestsBurst = 1 } }, time);
        controls.Release(await controls.AcquireAsync(1, CancellationToken.None), CallSignal.Healthy);
        using var cancel = new CancellationTokenSource();
        var cancelled = controls.AcquireAsync(1, cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        var next = controls.AcquireAsync(1, CancellationToken.None).AsTask();

        await Wait.UntilAsync(() => { time.Advance(TokenBuckets.Step); return next.IsCompleted; }, TimeSpan.FromSeconds(20), "the next call got the slot and a token");
        controls.Release(await next, CallSignal.Healthy);
    }

    [Fact]
    public async Task Dispose_ThenAcquire_Refused()
    {
        var controls = new DeliveryControls(new DestinationOptions { RateLimit = { EventsPerSecond = 10, RequestsPerSecond = 10 } }, PipelineUnits.Clock());

        controls.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await controls.AcquireAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_RequestsLimitOnly_ItsBucketIsDisposed()
    {
        var controls = new DeliveryControls(new DestinationOptions { RateLimit = { RequestsPerSecond = 10 } }, PipelineUnits.Clock());

        controls.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await controls.AcquireAsync(1, CancellationToken.None));
    }

    [Fact]
    public void New_NullOptions_Throws() => Assert.Throws<ArgumentNullException>(() => new DeliveryControls(null!, PipelineUnits.Clock()));
}
