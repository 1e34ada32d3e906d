using System.CommandLine;
using Delivery.Core.Options;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Hosting;
using Delivery.Worker.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Cli;

/// <summary><c>run</c> (the default): validate the configuration, then run the worker until SIGTERM.</summary>
internal static class RunCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("run", "Run the worker (the default command): consume, deliver, retry, dead-letter.");
        command.SetAction((parse, ct) => RunAsync(parse, context.Settings(parse), ct));
        return command;
    }

    /// <summary>Builds, validates and runs the host; returns the exit code (1 = invalid configuration).</summary>
    public static async Task<int> RunAsync(ParseResult parse, WorkerHostSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var error = parse.InvocationConfiguration.Error;
        WebApplication app;
        try
        {
            app = WorkerHost.Build(settings);
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or FormatException)
        {
            await error.WriteLineAsync($"configuration: {ex.Message}");
            return 1;
        }

        await using (app)
        {
            var problems = ConfigurationValidator.Validate(app.Configuration, app.Services);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync(problem);
                }

                return 1;
            }

            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Delivery.Worker");
            LogStart(app, logger);
            await app.StartAsync(cancellationToken);
            if (WorkerHost.ListeningAddress(app)?.ToString() is { } address)
            {
                WorkerLog.Listening(logger, address);
            }

            await app.WaitForShutdownAsync(cancellationToken);
            WorkerLog.Stopped(logger);
            return 0;
        }
    }

    private static void LogStart(WebApplication app, ILogger logger)
    {
        var options = app.Configuration.GetSection(DeliveryOptions.SectionName).Get<DeliveryOptions>() ?? new DeliveryOptions();
        var enabled = options.Destinations.Where(static d => d.Value.Enabled).Select(static d => $"{d.Key}:{d.Value.Type}").ToArray();
        var kafka = options.Kafka.Embedded ? "embedded (in-memory mock cluster)" : options.Kafka.BootstrapServers ?? "(not set)";
        var names = string.Join(", ", enabled);
        WorkerLog.Starting(logger, app.Environment.EnvironmentName, enabled.Length, names, kafka);
        if (options.Kafka.Embedded)
        {
            // Resolving the cluster starts it (the pipelines would at start anyway), so its address is known here.
            var bootstrap = app.Services.GetRequiredService<EmbeddedKafkaCluster>().BootstrapServers;
            WorkerLog.EmbeddedKafka(logger, bootstrap);
        }

        var otlp = TelemetryServiceCollectionExtensions.OtlpEnabled(app.Services.GetRequiredService<IConfiguration>()) ? "on (OTEL_EXPORTER_OTLP_ENDPOINT)" : "off";
        WorkerLog.Otlp(logger, otlp);
    }
}
