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

    [Fact]
    public async Task Pulse_ManyWhileOnePending_NoSemaphoreFullExceptionAndTheNextWaitStillWakes()
    {
        // Regression: each pulse beyond the first used to throw and catch a SemaphoreFullException (one per record
        // released while the loop waited: 12 MB of exceptions in a 200,000-event HTTP benchmark round).
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is SemaphoreFullException)
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            var blocked = true;
            var first = Task.Run(() => wakeup.Wait(TimeSpan.FromHours(1), () => Volatile.Read(ref blocked), CancellationToken.None));
            await Wait.UntilAsync(() => wakeup.HasWaiter, Deadline, "the waiter registered");
            for (var i = 0; i < 1_000; i++)
            {
                wakeup.Pulse();
            }

            await first.WaitAsync(Deadline);

            // The pending flag was cleared by the wait: a later pulse wakes a later waiter.
            var second = Task.Run(() => wakeup.Wait(TimeSpan.FromHours(1), () => Volatile.Read(ref blocked), CancellationToken.None));
            await Wait.UntilAsync(() => wakeup.HasWaiter, Deadline, "the second waiter registered");
            wakeup.Pulse();
            await second.WaitAsync(Deadline);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, Volatile.Read(ref thrown));
    }
}
