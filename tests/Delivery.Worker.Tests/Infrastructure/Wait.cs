using System.Diagnostics;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline (polling), never a fixed sleep.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting until {because}.");
            }

            await Task.Delay(25);
        }
    }
}
