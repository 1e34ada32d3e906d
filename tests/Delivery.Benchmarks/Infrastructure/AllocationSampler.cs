using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// Diagnostics (<c>BENCH_ALLOC=1</c>): the runtime's allocation-tick events (one per ~100 KB allocated, with the type
/// of the object that crossed the mark) summed by type while it runs, for the profile evidence of allocation figures.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _on;

    public static bool Enabled => Environment.GetEnvironmentVariable("BENCH_ALLOC") == "1";

    public void Start()
    {
        _bytes.Clear();
        _on = true;
    }

    /// <summary>Stops sampling; the top <paramref name="top"/> types by sampled bytes, one line each.</summary>
    public string Stop(int top = 25)
    {
        _on = false;
        var total = _bytes.Values.Sum();
        var text = new StringBuilder();
        foreach (var (type, bytes) in _bytes.OrderByDescending(kv => kv.Value).Take(top))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {bytes * 100.0 / Math.Max(1, total),5:0.0}%  {bytes / 1e6,8:0.0} MB  {type}\n");
        }

        return text.ToString();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_on || eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var type = names.IndexOf("TypeName") is var t and >= 0 ? payload[t] as string ?? "?" : "?";
        var amount = names.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(payload[a], CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
