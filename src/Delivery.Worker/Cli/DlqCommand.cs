using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Delivery.Worker.Dlq;
using Delivery.Worker.Hosting;
using Spectre.Console;

namespace Delivery.Worker.Cli;

/// <summary><c>dlq inspect</c> and <c>dlq redrive</c>: look into and replay a destination's dead-letter topic.</summary>
internal static class DlqCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Creates the command group.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dlq = new Command("dlq", "Inspect and redrive a destination's dead-letter topic.");
        dlq.Add(Inspect(context));
        dlq.Add(Redrive(context));
        return dlq;
    }

    private static Option<string> DestinationOption() => new("--destination", "-d")
    {
        Description = "The destination (a key of Delivery:Destinations).",
        Required = true,
    };

    private static Command Inspect(CliContext context)
    {
        var destination = DestinationOption();
        var newest = new Option<int>("--newest", "-n") { Description = "How many of the newest records to show.", DefaultValueFactory = static _ => 10 };
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var command = new Command("inspect", "Counts by reason, status and error type, and the newest records with decoded headers (bodies truncated).")
        {
            destination, newest, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            return await WithSessionAsync(context, parse, parse.GetRequiredValue(destination), async session =>
            {
                var inspection = await Task.Run(() => DlqInspector.Inspect(session, Math.Max(0, parse.GetValue(newest)), ct), ct);
                if (parse.GetValue(json))
                {
                    await output.WriteLineAsync(session.Redactor.Redact(JsonSerializer.Serialize(inspection, Json)));
                }
                else
                {
                    await output.WriteAsync(session.Redactor.Redact(DlqText.Inspection(inspection)));
                }

                return 0;
            });
        });
        return command;
    }

    private static Command Redrive(CliContext context)
    {
        var destination = DestinationOption();
        var reason = new Option<string[]>("--reason") { Description = "Only these DLQ reasons (NonRetryable, RetriesExhausted, MaxAgeExceeded, MalformedRetryRecord).", AllowMultipleArgumentsPerToken = true };
        var status = new Option<int[]>("--status") { Description = "Only these last error statuses.", AllowMultipleArgumentsPerToken = true };
        var errorType = new Option<string[]>("--error-type") { Description = "Only these last error types (e.g. BAD_REQUEST).", AllowMultipleArgumentsPerToken = true };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only records dead-lettered at or after this instant (ISO 8601)." };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Only records dead-lettered before this instant (ISO 8601)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be redriven; produce nothing, keep the position." };
        var force = new Option<bool>("--force") { Description = "Also redrive records past DeadLetter:MaxRedrives." };
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Ignore the stored position and scan the whole topic again." };
        var limit = new Option<long?>("--limit") { Description = "Stop after redriving this many records (the next run continues)." };
        var command = new Command("redrive", "Re-produce matching dead-lettered records to retry tier 1 (attempt reset, delivery-redrive-count + 1); a second run continues where the first stopped.")
        {
            destination, reason, status, errorType, since, until, dryRun, force, fromBeginning, limit,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var request = new RedriveRequest(
                new DlqFilter
                {
                    Reasons = parse.GetValue(reason) ?? [],
                    Statuses = parse.GetValue(status) ?? [],
                    ErrorTypes = parse.GetValue(errorType) ?? [],
                    Since = parse.GetValue(since),
                    Until = parse.GetValue(until),
                },
                parse.GetValue(dryRun),
                parse.GetValue(force),
                parse.GetValue(fromBeginning),
                parse.GetValue(limit));
            return await WithSessionAsync(context, parse, parse.GetRequiredValue(destination), async session =>
            {
                var result = await RunWithProgressAsync(session, request, output, ct);
                await output.WriteAsync(session.Redactor.Redact(DlqText.Redrive(session, result)));
                return 0;
            });
        });
        return command;
    }

    private static async Task<RedriveResult> RunWithProgressAsync(DlqSession session, RedriveRequest request, TextWriter output, CancellationToken ct)
    {
        if (Interactive(output))
        {
            RedriveResult? result = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"{(request.DryRun ? "dry run: " : string.Empty)}{session.Topic} → {session.RetryTopic}");
                    result = await Task.Run(() => DlqRedriver.RedriveAsync(session, request, TimeProvider.System, (done, total) =>
                    {
                        task.MaxValue = Math.Max(1, total);
                        task.Value = done;
                    }, ct), ct);
                    task.Value = task.MaxValue;
                });
            return result!;
        }

        long lastReported = 0;
        return await Task.Run(() => DlqRedriver.RedriveAsync(session, request, TimeProvider.System, (done, total) =>
        {
            if (done - lastReported >= 1000)
            {
                lastReported = done;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"examined {done}/{total}"));
            }
        }, ct), ct);
    }

    private static bool Interactive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static async Task<int> WithSessionAsync(CliContext context, ParseResult parse, string destination, Func<DlqSession, Task<int>> action)
    {
        var error = parse.InvocationConfiguration.Error;
        var settings = context.Settings(parse) with { ListenEndPoint = null, LogOutput = context.Template.LogOutput ?? TextWriter.Null };
        await using var app = WorkerHost.Build(settings);
        var (session, problems) = DlqSessionFactory.Open(app, destination);
        if (session is null)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem);
            }

            return 1;
        }

        using (session)
        {
            try
            {
                return await action(session);
            }
            catch (Exception ex) when (ex is Confluent.Kafka.KafkaException or TimeoutException)
            {
                await error.WriteLineAsync(session.Redactor.Redact($"{session.Topic}: {ex.Message}"));
                return 2;
            }
        }
    }
}
