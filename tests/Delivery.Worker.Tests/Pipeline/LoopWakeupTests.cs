using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Infrastructure;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class LoopWakeupTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Wait_Pulsed_Returns()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);

        var waiting = Task.Run(() => wakeup.Wait(TimeSpan.FromHours(1), () => true, CancellationToken.None));
        await Wait.UntilAsync(() => wakeup.HasWaiter, Deadline, "the waiter registered");
        wakeup.Pulse();

        await waiting.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Wait_NoPulse_ReturnsWhenTheClockReachesTheTimeout()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);

        var waiting = Task.Run(() => wakeup.Wait(TimeSpan.FromSeconds(5), () => true, CancellationToken.None));
        await Wait.UntilAsync(() => wakeup.HasWaiter, Deadline, "the waiter registered");
        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await waiting.WaitAsync(Deadline);
    }

    [Fact]
    public void Wait_ConditionAlreadyMet_DoesNotBlock()
    {
        using var wakeup = new LoopWakeup(PipelineUnits.Clock());

        wakeup.Wait(TimeSpan.FromHours(1), () => false, CancellationToken.None);

        Assert.False(wakeup.HasWaiter);
    }

    [Fact]
    public async Task Wait_PulseSentWhileNobodyWaited_DoesNotEndALaterWait()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);
        wakeup.Pulse();

        var waiting = Task.Run(() => wakeup.Wait(TimeSpan.FromSeconds(5), () => true, CancellationToken.None));
        await Wait.UntilAsync(() => wakeup.HasWaiter || waiting.IsCompleted, Deadline, "the waiter registered");
        time.Advance(TimeSpan.FromSeconds(4));

        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(Deadline);
    }

    [Fact]
    public void Wait_NoTimeLeft_ReturnsWithoutAskingTheCondition()
    {
        using var wakeup = new LoopWakeup(PipelineUnits.Clock());
        var asked = 0;

        wakeup.Wait(TimeSpan.Zero, () => ++asked > 0, CancellationToken.None);

        Assert.Equal(0, asked);
    }

    [Fact]
    public void Wait_NullCondition_Throws()
    {
        using var wakeup = new LoopWakeup(PipelineUnits.Clock());

        Assert.Throws<ArgumentNullException>(() => wakeup.Wait(TimeSpan.FromSeconds(1), null!, CancellationToken.None));
    }
}
