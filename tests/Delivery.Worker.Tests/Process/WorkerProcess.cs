using System.Collections.Concurrent;
using System.Diagnostics;
using OsProcess = System.Diagnostics.Process;

namespace Delivery.Worker.Tests.Process;

/// <summary>
/// The real <c>delivery-worker</c> executable (<c>dotnet delivery-worker.dll run --config file</c>) as a child process,
/// its stdout/stderr captured. The dll sits in the test's own output folder (the test project references the Worker).
/// Disposing kills the process tree if it still runs: no child outlives the test.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly OsProcess _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private WorkerProcess(string name, OsProcess process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; private set; }

    public int Id => _process.Id;

    public static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "delivery-worker.dll");

    public static WorkerProcess Start(string name, string configFile)
    {
        if (!File.Exists(WorkerDll))
        {
            throw new FileNotFoundException("delivery-worker.dll is not next to the test assembly", WorkerDll);
        }

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(WorkerDll);
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configFile);

        // Only the config file configures the worker: no inherited Delivery__* variables, a fixed environment name.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Delivery__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";

        var process = new OsProcess { StartInfo = info };
        var worker = new WorkerProcess(name, process);
        process.OutputDataReceived += (_, e) => worker.Add("out", e.Data);
        process.ErrorDataReceived += (_, e) => worker.Add("err", e.Data);
        worker.StartedAt = Stopwatch.GetTimestamp();
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {name}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL on Unix: no graceful shutdown, no final commit. Returns once the process has exited.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGTERM (what Kubernetes sends first): the worker drains, commits and leaves the group. Does not wait.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGSTOP: the process freezes (a long GC pause, a stalled node) until <see cref="Continue"/>.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Freeze"/>.</summary>
    public void Continue() => Signal("CONT");

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit on its own; true when it did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The exit code (only after the process exited).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The captured output, the last <paramref name="maxLines"/> lines.</summary>
    public string Output(int maxLines = 200)
    {
        var lines = _lines.ToArray();
        var skipped = Math.Max(0, lines.Length - maxLines);
        var header = skipped > 0 ? $"--- {Name}: {skipped} earlier lines omitted ---{Environment.NewLine}" : $"--- {Name} ---{Environment.NewLine}";
        return header + string.Join(Environment.NewLine, lines.Skip(skipped));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Signal(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = OsProcess.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run kill");
        kill.WaitForExit();
    }

    private void Add(string stream, string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue($"[{stream}] {line}");
        }
    }
}
