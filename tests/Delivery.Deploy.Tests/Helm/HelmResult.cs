namespace Delivery.Deploy.Tests.Helm;

/// <summary>The outcome of one helm invocation.</summary>
internal sealed record HelmResult(int ExitCode, string StandardOutput, string StandardError, string CommandLine)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Everything helm printed, for assertion messages.</summary>
    public string Describe() => $"helm exited {ExitCode}: {CommandLine}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}
