using System.CommandLine;
using Delivery.Worker.Hosting;

namespace Delivery.Worker.Cli;

/// <summary>The options every command shares, and the host settings they produce.</summary>
internal sealed class CliContext
{
    /// <summary>Creates the shared options over a settings template (tests and the demo pass overrides in it).</summary>
    public CliContext(WorkerHostSettings template)
    {
        Template = template;
        Environment = new Option<string?>("--environment", "-e")
        {
            Description = "Hosting environment (reads appsettings.{Environment}.json); default DOTNET_ENVIRONMENT or Production.",
            Recursive = true,
        };
        Config = new Option<FileInfo?>("--config", "-c")
        {
            Description = "An extra JSON settings file, layered after appsettings.{Environment}.json and before environment variables.",
            Recursive = true,
        };
    }

    /// <summary>Settings every command starts from.</summary>
    public WorkerHostSettings Template { get; }

    /// <summary><c>--environment</c>.</summary>
    public Option<string?> Environment { get; }

    /// <summary><c>--config</c>.</summary>
    public Option<FileInfo?> Config { get; }

    /// <summary>The host settings for one invocation.</summary>
    public WorkerHostSettings Settings(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var environment = parse.GetValue(Environment);
        var config = parse.GetValue(Config);
        return Template with
        {
            EnvironmentName = environment ?? Template.EnvironmentName,
            ConfigFile = config?.FullName ?? Template.ConfigFile,
        };
    }
}
