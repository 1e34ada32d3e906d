using System.Diagnostics;

namespace Delivery.Deploy.Tests.Alerts;

/// <summary>Runs the real promtool (Debian's prometheus package, installed by eng/bootstrap.sh).</summary>
internal static class Promtool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var promtool = Environment.GetEnvironmentVariable("DELIVERY_PROMTOOL") is { Length: > 0 } configured ? configured : "promtool";
        var startInfo = new ProcessStartInfo(promtool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {promtool}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FileNotFoundException($"{promtool} not found ({e.Message}): run ./build.sh bootstrap (Debian package prometheus) or set DELIVERY_PROMTOOL", promtool, e);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
