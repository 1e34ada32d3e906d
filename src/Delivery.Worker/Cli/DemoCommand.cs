using System.CommandLine;
using Delivery.Worker.Demo;
using Spectre.Console;

namespace Delivery.Worker.Cli;

/// <summary><c>demo</c>: embedded Kafka, a generator, a demo HTTP API and a live table.</summary>
internal static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var duration = new Option<TimeSpan?>("--duration")
        {
            Description = "Stop after this long (00:00:20, 20s, 2m); default: until Ctrl+C.",
            CustomParser = static result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
                if (DurationParser.TryParse(token, out var value))
                {
                    return value;
                }

                result.AddError($"--duration: '{token}' is not a duration (00:00:20, 20s, 2m)");
                return null;
            },
        };
        var rate = new Option<int>("--rate") { Description = "Events produced per second.", DefaultValueFactory = static _ => 200 };
        var failureRate = new Option<double>("--failure-rate") { Description = "Share of events the demo API answers 429/503 (retryable).", DefaultValueFactory = static _ => 0.05 };
        var badRate = new Option<double>("--bad-rate") { Description = "Share of events the demo API answers 400 (dead-lettered).", DefaultValueFactory = static _ => 0.01 };
        var seed = new Option<int?>("--seed") { Description = "Random seed of the demo API's failures." };
        var outageEvery = new Option<TimeSpan?>("--outage-every")
        {
            Description = "The demo API goes down (503 to every request) at the end of each such period, so the worker holds; 0 disables.",
            DefaultValueFactory = static _ => TimeSpan.FromSeconds(30),
            CustomParser = static result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
                if (token is "0")
                {
                    return TimeSpan.Zero;
                }

                if (DurationParser.TryParse(token, out var value))
                {
                    return value;
                }

                result.AddError($"--outage-every: '{token}' is not a duration (30s, 00:00:30, 0)");
                return null;
            },
        };
        var outageFor = new Option<TimeSpan?>("--outage-for")
        {
            Description = "How long each outage lasts.",
            DefaultValueFactory = static _ => TimeSpan.FromSeconds(3),
            CustomParser = static result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
                if (DurationParser.TryParse(token, out var value))
                {
                    return value;
                }

                result.AddError($"--outage-for: '{token}' is not a duration (3s, 00:00:03)");
                return null;
            },
        };
        var demos = context.Template.Demos;
        var type = new Option<string>("--type")
        {
            Description = $"The destination type to deliver through: {string.Join(", ", new[] { DemoRunner.DefaultType }.Concat(demos.Keys))}.",
            DefaultValueFactory = _ => demos.Count == 1 ? demos.Keys.Single() : DemoRunner.DefaultType,
        };
        type.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value != DemoRunner.DefaultType && !demos.ContainsKey(value))
            {
                result.AddError($"--type: '{value}' has no demo (known: {string.Join(", ", new[] { DemoRunner.DefaultType }.Concat(demos.Keys))})");
            }
        });
        var command = new Command("demo", "Run the worker on an embedded Kafka cluster against a demo API that fails some events, with a live table.")
        {
            duration, rate, failureRate, badRate, seed, outageEvery, outageFor, type,
        };
        rate.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                result.AddError("--rate: must be between 1 and 100000");
            }
        });
        foreach (var share in new[] { failureRate, badRate })
        {
            share.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<double>() is < 0 or > 1)
                {
                    result.AddError($"{share.Name}: must be between 0 and 1");
                }
            });
        }

        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = new DemoOptions
            {
                Duration = parse.GetValue(duration),
                Rate = parse.GetValue(rate),
                RetryableFailureRate = parse.GetValue(failureRate),
                BadRequestRate = parse.GetValue(badRate),
                Seed = parse.GetValue(seed),
                OutageEvery = parse.GetValue(outageEvery) is { } every && every > TimeSpan.Zero ? every : null,
                OutageFor = parse.GetValue(outageFor) ?? TimeSpan.FromSeconds(3),
                Type = parse.GetValue(type)!,
                Demo = demos.GetValueOrDefault(parse.GetValue(type)!),
                Interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive,
            };
            return await DemoRunner.RunAsync(options, context.Settings(parse), output, ct);
        });
        return command;
    }
}
