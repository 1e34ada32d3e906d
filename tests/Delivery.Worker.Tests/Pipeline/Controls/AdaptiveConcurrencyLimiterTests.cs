using Delivery.Worker.Pipeline.Controls;
using Microsoft.Extensions.Time.Testing;

namespace Delivery.Worker.Tests.Pipeline.Controls;

public sealed class AdaptiveConcurrencyLimiterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = PipelineUnits.Clock();

    private AdaptiveConcurrencyLimiter Limiter(int max) => new(max, Interval, _time);

    [Fact]
    public async Task AcquireAsync_BelowTheLimit_GrantsAtOnceAndWaitsAtTheLimit()
    {
        var limiter = Limiter(2);
        var a = await limiter.AcquireAsync(CancellationToken.None);
        var b = await limiter.AcquireAsync(CancellationToken.None);

        var c = limiter.AcquireAsync(CancellationToken.None);

        Assert.False(c.IsCompleted);
        Assert.Equal(1, limiter.Waiting);
        limiter.Release(a, CallSignal.Neutral);
        await c.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, limiter.InFlight);
        limiter.Release(b, CallSignal.Neutral);
    }

    [Fact]
    public async Task Release_Overloaded_HalvesTheLimitNotBelowOne()
    {
        var limiter = Limiter(8);

        foreach (var expected in new[] { 4, 2, 1, 1 })
        {
            limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Overloaded);
            Assert.Equal(expected, limiter.Limit);
        }
    }

    [Fact]
    public async Task Release_OverloadsOfCallsStartedBeforeTheDecrease_CountOnce()
    {
        var limiter = Limiter(8);
        var slots = new List<ConcurrencySlot>();
        for (var i = 0; i < 6; i++)
        {
            slots.Add(await limiter.AcquireAsync(CancellationToken.None));
        }

        foreach (var slot in slots)
        {
            limiter.Release(slot, CallSignal.Overloaded);
        }

        Assert.Equal(4, limiter.Limit);
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Overloaded); // a call of the new epoch
        Assert.Equal(2, limiter.Limit);
    }

    [Fact]
    public async Task Release_HealthyAfterTheInterval_GrowsByOnePerIntervalUpToMax()
    {
        var limiter = Limiter(4);
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Overloaded);
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Overloaded);
        Assert.Equal(1, limiter.Limit);

        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Healthy);
        Assert.Equal(1, limiter.Limit); // not a whole interval yet

        _time.Advance(TimeSpan.FromMilliseconds(1));
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Healthy);
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Healthy);
        Assert.Equal(2, limiter.Limit); // one step per interval, however many healthy calls

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(Interval);
            await ReleaseOneOfAllSlotsAsync(limiter, CallSignal.Healthy); // the limit in use: it may grow
        }

        Assert.Equal(4, limiter.Limit);
    }

    [Fact]
    public async Task Release_HealthyWhileBelowTheLimit_DoesNotGrow()
    {
        var limiter = Limiter(8);
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Overloaded); // limit 4
        var held = new[] { await limiter.AcquireAsync(CancellationToken.None), await limiter.AcquireAsync(CancellationToken.None) };
        _time.Advance(Interval * 10);

        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Healthy); // 3 of 4 taken
        foreach (var slot in held)
        {
            limiter.Release(slot, CallSignal.Healthy);
        }

        Assert.Equal(4, limiter.Limit);
    }

    [Fact]
    public async Task Release_HealthyWithEverySlotTaken_GrowsByOne()
    {
        var limiter = Limiter(8);
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Overloaded); // limit 4
        _time.Advance(Interval);

        await ReleaseOneOfAllSlotsAsync(limiter, CallSignal.Healthy);

        Assert.Equal(5, limiter.Limit);
    }

    [Fact]
    public async Task Release_HealthyWithACallWaiting_Grows()
    {
        var limiter = Limiter(2);
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Overloaded); // limit 1
        var held = await limiter.AcquireAsync(CancellationToken.None);
        var waiting = limiter.AcquireAsync(CancellationToken.None).AsTask();
        _time.Advance(Interval);

        limiter.Release(held, CallSignal.Healthy);

        Assert.Equal(2, limiter.Limit);
        limiter.Release(await waiting.WaitAsync(TimeSpan.FromSeconds(10)), CallSignal.Neutral);
    }

    /// <summary>Takes every slot of the current limit, releases one with <paramref name="signal"/> and the rest neutrally.</summary>
    private static async Task ReleaseOneOfAllSlotsAsync(AdaptiveConcurrencyLimiter limiter, CallSignal signal)
    {
        var slots = new List<ConcurrencySlot>();
        while (limiter.InFlight < limiter.Limit)
        {
            slots.Add(await limiter.AcquireAsync(CancellationToken.None));
        }

        limiter.Release(slots[0], signal);
        foreach (var slot in slots.Skip(1))
        {
            limiter.Release(slot, CallSignal.Neutral);
        }
    }

    [Fact]
    public async Task Release_NeutralSignals_NeitherShrinkNorGrow()
    {
        var limiter = Limiter(4);
        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Overloaded);
        _time.Advance(Interval * 3);

        limiter.Release(await limiter.AcquireAsync(CancellationToken.None), CallSignal.Neutral);

        Assert.Equal(2, limiter.Limit);
    }

    [Fact]
    public async Task Release_LimitGrows_WakesWaitersOldestFirst()
    {
        var limiter = Limiter(2);
        var first = await limiter.AcquireAsync(CancellationToken.None);
        limiter.Release(first, CallSignal.Overloaded); // limit 1
        var held = await limiter.AcquireAsync(CancellationToken.None);
        var w1 = limiter.AcquireAsync(CancellationToken.None).AsTask();
        var w2 = limiter.AcquireAsync(CancellationToken.None).AsTask();
        _time.Advance(Interval);

        limiter.Release(held, CallSignal.Healthy); // limit 2: both waiters get a slot, in order

        await Task.WhenAll(w1, w2).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, limiter.Limit);
        Assert.Equal(2, limiter.InFlight);
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_LeavesTheQueueWithoutTakingASlot()
    {
        var limiter = Limiter(1);
        var held = await limiter.AcquireAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, limiter.Waiting);
        limiter.Release(held, CallSignal.Neutral);
        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public async Task Release_OneSlotFreedWithTwoWaiting_GrantsExactlyOne()
    {
        var limiter = Limiter(2);
        var a = await limiter.AcquireAsync(CancellationToken.None);
        await limiter.AcquireAsync(CancellationToken.None);
        var first = limiter.AcquireAsync(CancellationToken.None);
        var second = limiter.AcquireAsync(CancellationToken.None);

        limiter.Release(a, CallSignal.Neutral);

        await first.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(second.IsCompleted);
        Assert.Equal(2, limiter.InFlight);
        Assert.Equal(1, limiter.Waiting);
    }

    [Fact]
    public async Task AcquireAsync_AlreadyCancelled_ThrowsWithoutTakingAFreeSlot()
    {
        var limiter = Limiter(2);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await limiter.AcquireAsync(cancel.Token));

        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public void New_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveConcurrencyLimiter(0, Interval, _time));
        Assert.Throws<ArgumentNullException>(() => new AdaptiveConcurrencyLimiter(1, Interval, null!));
    }
}
