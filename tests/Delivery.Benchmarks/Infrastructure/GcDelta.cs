namespace Delivery.Benchmarks.Infrastructure;

/// <summary>GC activity of one round (<see cref="GcSample.Stop"/>): pause milliseconds, collections, those of gen1 or older, MB allocated.</summary>
internal readonly record struct GcDelta(double PauseMs, int Collections, int Gen1OrOlder, double AllocatedMb);
