using BenchmarkDotNet.Attributes;
using Delivery.Core.Offsets;

namespace Delivery.Benchmarks.Micro;

/// <summary>
/// PartitionOffsetTracker in steady state: track 500 increasing offsets, resolve them out of order, read and mark
/// the committable offset. One long-lived tracker (as in the pipeline). Figures are per offset.
/// </summary>
[MemoryDiagnoser]
public class OffsetTrackerBenchmarks
{
    private const int Window = 500;
    private readonly PartitionOffsetTracker _tracker = new();
    private int[] _order = [];
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _order = Enumerable.Range(0, Window).OrderBy(_ => random.Next()).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Window, Description = "track + resolve (shuffled) + commit, per offset")]
    public long TrackResolveCommit()
    {
        var start = _next;
        for (var i = 0; i < Window; i++)
        {
            _tracker.Track(start + i);
        }

        foreach (var i in _order)
        {
            _tracker.Resolve(start + i);
        }

        _next = start + Window;
        var committable = _tracker.Committable ?? -1;
        _tracker.MarkCommitted(committable);
        return committable;
    }
}
