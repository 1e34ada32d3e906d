namespace Delivery.Benchmarks.Infrastructure;

/// <summary>The process's GC activity over a round: pause time, collections and bytes allocated (all threads).</summary>
internal readonly record struct GcSample(TimeSpan Pause, int Collections, int Gen1, long Allocated)
{
    public static GcSample Start() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.GetTotalAllocatedBytes());

    /// <summary>What happened since <see cref="Start"/>.</summary>
    public GcDelta Stop()
    {
        var now = Start();
        return new GcDelta((now.Pause - Pause).TotalMilliseconds, now.Collections - Collections, now.Gen1 - Gen1, (now.Allocated - Allocated) / 1e6);
    }
}
