using System.CommandLine;
using Delivery.Worker.Hosting;

namespace Delivery.Worker.Cli;

/// <summary><c>validate-config</c>: prints every configuration problem (exit 1) or "configuration OK" (exit 0), starts nothing.</summary>
internal static class ValidateConfigCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("validate-config", "Check the configuration without starting anything; one line per problem, exit 1 if any.");
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            IReadOnlyList<string> problems;
            try
            {
                await using var app = WorkerHost.Build(context.Settings(parse));
                problems = ConfigurationValidator.Validate(app.Configuration, app.Services);
            }
            catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or FormatException)
            {
                problems = [$"configuration: {ex.Message}"];
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync(problem.AsMemory(), ct);
                }

                return 1;
            }

            await output.WriteLineAsync("configuration OK".AsMemory(), ct);
            return 0;
        });
        return command;
    }
}
