using Delivery.Worker.Cli;
using Delivery.Worker.Hosting;

namespace Delivery.Worker.Tests.Cli;

/// <summary>Runs the real command line in-process and captures what it prints.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(
        WorkerHostSettings template, CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await DeliveryCli.InvokeAsync(args, output, error, template, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    public static Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args) =>
        InvokeAsync(new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = TextWriter.Null }, CancellationToken.None, args);
}
