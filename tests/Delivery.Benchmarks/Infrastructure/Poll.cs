using System.Diagnostics;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>Waits for a condition with a deadline (polling every few milliseconds).</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, int everyMs = 5)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0}s waiting until {what}");
            }

            await Task.Delay(everyMs);
        }
    }
}
