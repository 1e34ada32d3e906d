using System.Diagnostics;

namespace Delivery.Deploy.Tests.Helm;

/// <summary>Runs the real helm binary (3.6.2 from the bootstrap).</summary>
internal static class HelmCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<HelmResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var helm = RepositoryPaths.Helm;
        if (!File.Exists(helm))
        {
            throw new FileNotFoundException(
                $"helm not found at {helm}: run ./build.sh bootstrap (or set DELIVERY_HELM to a helm 3 binary)", helm);
        }

        var startInfo = new ProcessStartInfo(helm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Keep helm away from any user or cluster configuration.
        var home = Path.Combine(Path.GetTempPath(), "delivery-deploy-tests-helm");
        startInfo.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        startInfo.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        startInfo.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        startInfo.Environment["KUBECONFIG"] = Path.Combine(home, "no-kubeconfig");

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {helm}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"helm {string.Join(' ', arguments)} did not finish within {Timeout}");
        }

        return new HelmResult(process.ExitCode, await stdout, await stderr, "helm " + string.Join(' ', arguments));
    }

    /// <summary><c>helm template</c> of the chart with the given values files and <c>--set</c> pairs.</summary>
    public static Task<HelmResult> TemplateAsync(
        IEnumerable<string>? valuesFiles = null, IEnumerable<string>? sets = null, string? chart = null)
    {
        var arguments = new List<string> { "template", "delivery", chart ?? RepositoryPaths.Chart, "--namespace", "delivery" };
        AddValues(arguments, valuesFiles, sets);
        return RunAsync(arguments);
    }

    /// <summary><c>helm lint --strict</c> of the chart with the given values files and <c>--set</c> pairs.</summary>
    public static Task<HelmResult> LintAsync(IEnumerable<string>? valuesFiles = null, IEnumerable<string>? sets = null)
    {
        var arguments = new List<string> { "lint", "--strict", RepositoryPaths.Chart };
        AddValues(arguments, valuesFiles, sets);
        return RunAsync(arguments);
    }

    private static void AddValues(List<string> arguments, IEnumerable<string>? valuesFiles, IEnumerable<string>? sets)
    {
        foreach (var file in valuesFiles ?? [])
        {
            arguments.Add("--values");
            arguments.Add(file);
        }

        foreach (var set in sets ?? [])
        {
            arguments.Add("--set");
            arguments.Add(set);
        }
    }
}
