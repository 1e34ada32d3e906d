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
}
