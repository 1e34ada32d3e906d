namespace Delivery.Benchmarks.Infrastructure;

/// <summary>The process's GC activity over a round: pause time, collections and bytes allocated (all threads).</summary>
internal readonly record struct GcSample(TimeSpan Pause, int Collections, int Gen1, long Allocated)
{
    /// <summary>
    /// Before each round: a full, compacting collection with finalizers run, so no round pays for the garbage of the one
    /// before it (the previous worker host's gen2, the pre-produced records) and both sides start from the same heap.
    /// </summary>
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    public static GcSample Start() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.GetTotalAllocatedBytes());

    /// <summary>What happened since <see cref="Start"/>.</summary>
    public GcDelta Stop()
    {
        var now = Start();
        return new GcDelta((now.Pause - Pause).TotalMilliseconds, now.Collections - Collections, now.Gen1 - Gen1, (now.Allocated - Allocated) / 1e6);
    }
}
