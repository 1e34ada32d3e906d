using System.CommandLine;

namespace Delivery.Worker.Cli;

/// <summary><c>dlq inspect</c> and <c>dlq redrive</c>: look into and replay a destination's dead-letter topic.</summary>
internal static class DlqCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dlq = new Command("dlq", "Inspect and redrive a destination's dead-letter topic.");
        var inspect = new Command("inspect", "Counts by reason, status and error type, and the newest records with their headers.");
        inspect.SetAction(NotYetAvailable);
        var redrive = new Command("redrive", "Re-produce matching dead-lettered records to retry tier 1.");
        redrive.SetAction(NotYetAvailable);
        dlq.Add(inspect);
        dlq.Add(redrive);
        return dlq;
    }

    private static int NotYetAvailable(ParseResult parse)
    {
        parse.InvocationConfiguration.Error.WriteLine($"{parse.CommandResult.Command.Name}: not available in this build");
        return 2;
    }
}
