namespace Delivery.Benchmarks.Scenarios;

/// <summary>One timed run: events over elapsed time (and when the last delivery happened, for the worker).</summary>
internal sealed record Throughput(int Events, TimeSpan Elapsed, TimeSpan DeliveredElapsed)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}
