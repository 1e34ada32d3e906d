using System.CommandLine;

namespace Delivery.Worker.Cli;

/// <summary><c>demo</c>: embedded Kafka, a generator, a demo HTTP API and a live table.</summary>
internal static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("demo", "Run the worker on an embedded Kafka cluster against a demo HTTP API, with a live table.");
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Error.WriteLine("demo: not available in this build");
            return 2;
        });
        return command;
    }
}
