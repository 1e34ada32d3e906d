using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Delivery.Benchmarks.Reporting;

/// <summary>What every result records: cores, memory, runtime, commit, mode, date, and how busy the machine was.</summary>
internal static class MachineFacts
{
    public static JsonObject Collect(string repositoryRoot, string mode) => new()
    {
        ["cores"] = Environment.ProcessorCount,
        ["memoryMb"] = TotalMemoryMb(),
        ["cpu"] = CpuModel(),
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["gc"] = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
        ["gcGen0Size"] = Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "runtime default", // the image's setting when run by ./build.sh bench
        ["commit"] = Git(repositoryRoot, "rev-parse HEAD"),
        ["dirty"] = Git(repositoryRoot, "status --porcelain --untracked-files=no").Length > 0,
        ["mode"] = mode,
        ["date"] = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["loadAverageAtStart"] = LoadAverage(),
    };

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static long TotalMemoryMb()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string Git(string root, string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return "unknown";
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
