using System.Diagnostics;

namespace Delivery.Worker.Tests.Hosting;

/// <summary>Waits on a condition with a deadline (never a fixed sleep).</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        T last = await probe();
        while (!done(last))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} not reached within {timeout}; last value: {last}");
            }

            await Task.Delay(50); // polling interval, not synchronisation: the loop ends on the condition or the deadline
            last = await probe();
        }

        return last;
    }
}
