namespace Delivery.Benchmarks.Scenarios;

/// <summary>One timed run: events over elapsed time (and when the last delivery happened, for the worker).</summary>
internal sealed record Throughput(int Events, TimeSpan Elapsed, TimeSpan DeliveredElapsed)
{
    /// <summary>CPU of this process during the run (the in-process broker included, as for every run).</summary>
    public double ProcessCpuSeconds { get; init; }

    /// <summary>Cores the rest of the machine kept busy on average during the run.</summary>
    public double OtherCores { get; init; }

    /// <summary>Managed bytes this process allocated during the run.</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Managed bytes allocated per event (setup included).</summary>
    public double AllocatedBytesPerEvent => (double)AllocatedBytes / Events;

    /// <summary>Process CPU microseconds per event.</summary>
    public double CpuMicrosecondsPerEvent => ProcessCpuSeconds * 1e6 / Events;

    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}
