using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class HeldBatchesTests
{
    [Fact]
    public void WakeAll_EveryRegisteredDelivery_Woken()
    {
        var held = new HeldBatches();
        var a = held.Enter(CancellationToken.None);
        var b = held.Enter(CancellationToken.None);

        held.WakeAll();

        Assert.True(a.IsCancellationRequested);
        Assert.True(b.IsCancellationRequested);
        held.Leave(a);
        held.Leave(b);
    }

    [Fact]
    public void Leave_ThenWakeAll_TheLeftDeliveryIsNotWokenAndItsTokenIsDisposed()
    {
        var held = new HeldBatches();
        var left = held.Enter(CancellationToken.None);

        held.Leave(left);
        held.WakeAll();

        Assert.False(left.IsCancellationRequested);
        Assert.Throws<ObjectDisposedException>(() => left.Token);
        Assert.Throws<ArgumentNullException>(() => held.Leave(null!));
    }

    [Fact]
    public async Task Enter_AbortedToken_WakesTheDelivery()
    {
        using var aborted = new CancellationTokenSource();
        var held = new HeldBatches();
        var wake = held.Enter(aborted.Token);

        await aborted.CancelAsync();

        Assert.True(wake.IsCancellationRequested);
        held.Leave(wake);
    }
}
