using System.Diagnostics;
using System.Globalization;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// CPU accounting of one timed run: this process's CPU time (user + system) and how busy the whole machine was
/// (from /proc/stat), so a run starved by other load on the shared machine can be told apart from a slow pipeline.
/// </summary>
internal sealed class CpuSample
{
    private readonly TimeSpan _processStart;
    private readonly (long Busy, long Total) _machineStart;
    private readonly long _started;
    private readonly long _allocated;

    private CpuSample()
    {
        _processStart = ProcessCpu();
        _machineStart = MachineJiffies();
        _started = Stopwatch.GetTimestamp();
        _allocated = GC.GetTotalAllocatedBytes(false);
    }

    public static CpuSample Start() => new();

    /// <summary>Managed bytes allocated by this process since <see cref="Start"/>.</summary>
    public long AllocatedBytes => GC.GetTotalAllocatedBytes(false) - _allocated;

    /// <summary>Process CPU seconds, process cores used on average, and cores the rest of the machine kept busy.</summary>
    public (double ProcessCpuSeconds, double ProcessCores, double OtherCores) Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var process = (ProcessCpu() - _processStart).TotalSeconds;
        var (busy, total) = MachineJiffies();
        var busyJiffies = busy - _machineStart.Busy;
        var totalJiffies = total - _machineStart.Total;
        var machineBusyCores = totalJiffies > 0 ? Environment.ProcessorCount * (double)busyJiffies / totalJiffies : double.NaN;
        var processCores = wall > 0 ? process / wall : double.NaN;
        return (process, processCores, Math.Max(0, machineBusyCores - processCores));
    }

    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static (long Busy, long Total) MachineJiffies()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            var total = fields.Take(Math.Min(fields.Length, 8)).Sum();
            return (total - idle, total);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
        {
            return (0, 0);
        }
    }
}
