using System.Globalization;
using System.Net;
using Delivery.Core.Options;
using Delivery.Core.Topology;
using Delivery.Worker.Hosting;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Delivery.Worker.Demo;

/// <summary>
/// The demo: the worker on an embedded Kafka cluster, delivering through the real HttpBatch destination to an
/// in-process MultiStatus API that fails some events, with a generator feeding it and a live view.
/// </summary>
internal static class DemoRunner
{
    /// <summary>The demo destination.</summary>
    public const string Destination = "demo";

    /// <summary>The demo source topic.</summary>
    public const string SourceTopic = "demo.events";

    /// <summary>The destination type the demo uses unless a custom one is chosen.</summary>
    public const string DefaultType = "HttpBatch";

    private static readonly string[] RetryDelays = ["00:00:01", "00:00:02", "00:00:04"];

    /// <summary>Runs until <see cref="DemoOptions.Duration"/>, Ctrl+C or <paramref name="cancellationToken"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(DemoOptions options, WorkerHostSettings template, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(output);
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        await using var api = await DemoApi.StartAsync(options, time, cancellationToken);
        var logFile = template.LogOutput is null ? Path.Combine(Path.GetTempPath(), "delivery-worker-demo.log") : null;
        await using var logWriter = logFile is null ? null : new StreamWriter(logFile, append: false) { AutoFlush = true };
        var settings = template with
        {
            Overrides = Configuration(api.BaseAddress, template.Overrides, options),
            ListenEndPoint = template.ListenEndPoint ?? new IPEndPoint(IPAddress.Loopback, 0),
            LogOutput = template.LogOutput ?? logWriter,
        };

        await using var app = WorkerHost.Build(settings);
        var problems = ConfigurationValidator.Validate(app.Configuration, app.Services);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await output.WriteLineAsync(problem);
            }

            return 1;
        }

        var cluster = app.Services.GetRequiredService<EmbeddedKafkaCluster>();
        cluster.CreateTopic(SourceTopic, 3, 1);
        var metrics = app.Services.GetRequiredService<DeliveryMetrics>();
        var topology = DestinationTopology.For(Destination, app.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.Destinations[Destination]);
        using var stats = new DemoStats(metrics, topology.RetryTopicPrefix, topology.DeadLetterTopic);
        await app.StartAsync(cancellationToken);
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var status = app.Services.GetRequiredService<IPipelineStatusSource>();
        var bootstrap = cluster.BootstrapServers;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Delivery.Worker");
        WorkerLog.EmbeddedKafka(logger, bootstrap);
        var header = $"delivery-worker demo — {options.Rate} events/s → {options.Type} → {api.BaseAddress} (metrics: {WorkerHost.ListeningAddress(app)}metrics)"
            + $"{Environment.NewLine}embedded Kafka: {cluster.BootstrapServers} (source topic {SourceTopic}, dead letters {topology.DeadLetterTopic})";
        if (logFile is not null)
        {
            header += $" — log: {logFile}";
        }

        using var generator = new DemoEventGenerator(cluster.BootstrapServers, SourceTopic, options.Rate, time, options.Demo?.Event);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        if (options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var generating = generator.RunAsync(stop.Token);
        var snapshot = () => Snapshot(time.GetElapsedTime(started), generator, stats, status, api);
        if (options.Interactive)
        {
            AnsiConsole.WriteLine(header);
            AnsiConsole.WriteLine("Ctrl+C stops the demo and prints the summary.");
            await AnsiConsole.Live(DemoView.Table(snapshot())).StartAsync(async live =>
            {
                await ShowAsync(snapshot, s => live.UpdateTarget(DemoView.Table(s)), TimeSpan.FromSeconds(1), time, stop.Token);
            });
        }
        else
        {
            await output.WriteLineAsync(header);
            await ShowAsync(snapshot, s => output.WriteLine(DemoView.Line(s)), DemoView.PlainInterval, time, stop.Token);
        }

        await generating;
        await app.StopAsync(CancellationToken.None); // drains in flight and commits what is resolved
        var summary = new DemoSummary(
            time.GetElapsedTime(started),
            generator.Produced,
            stats.Delivered,
            api.Accepted,
            DemoKafkaCounts.Records(cluster.BootstrapServers, topology.DeadLetterTopic),
            DemoKafkaCounts.Lag(cluster.BootstrapServers, topology.ConsumerGroup, topology.SourceTopics),
            DemoKafkaCounts.Lag(cluster.BootstrapServers, topology.ConsumerGroup, topology.TierTopics),
            stats.RetriedByTier,
            stats.Held);
        await output.WriteAsync(summary.Render());
        return 0;
    }

    /// <summary>The demo's configuration (layered over the template's overrides).</summary>
    public static Dictionary<string, string?> Configuration(Uri api, IReadOnlyDictionary<string, string?>? overrides, DemoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var d = $"Delivery:Destinations:{Destination}";
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Delivery:Kafka:Embedded"] = "true",
            ["Delivery:Kafka:EmbeddedBrokers"] = "1",
            ["Delivery:Kafka:TopicPartitions"] = "3",
            ["Delivery:Kafka:TopicReplicationFactor"] = "1",
            ["Delivery:ShutdownTimeout"] = "00:00:10",
            ["Delivery:Pipeline:CommitInterval"] = "00:00:00.500",
            ["Delivery:Pipeline:HoldInitialBackoff"] = "00:00:00.200",
            ["Delivery:Pipeline:HoldMaxBackoff"] = "00:00:02",
            ["Delivery:Pipeline:CircuitBreakDuration"] = "00:00:01",
            [$"{d}:Type"] = options?.Type ?? DefaultType,
            [$"{d}:SourceTopics:0"] = SourceTopic,
            [$"{d}:Batch:MaxEvents"] = "100",
            [$"{d}:Batch:MaxWait"] = "00:00:00.100",
            [$"{d}:Retry:MaxAttempts"] = "4",
            [$"{d}:Retry:MaxAge"] = "00:10:00",
            [$"{d}:Http:BaseAddress"] = api.ToString(),
            [$"{d}:Http:Timeout"] = "00:00:05",
        };
        if (options?.Demo is { } demo)
        {
            foreach (var (key, value) in demo.Settings)
            {
                configuration[$"{d}:{key}"] = value;
            }
        }
        else
        {
            configuration[$"{d}:Settings:Path"] = DemoApi.Path;
            configuration[$"{d}:Settings:EventIdField"] = "eventId";
        }

        for (var i = 0; i < RetryDelays.Length; i++)
        {
            configuration[$"{d}:Retry:Delays:{i.ToString(CultureInfo.InvariantCulture)}"] = RetryDelays[i];
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return configuration;
    }

    private static async Task ShowAsync(Func<DemoSnapshot> snapshot, Action<DemoSnapshot> show, TimeSpan interval, TimeProvider time, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval, time);
        var last = snapshot();
        var lastAt = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = snapshot();
                var seconds = time.GetElapsedTime(lastAt).TotalSeconds;
                lastAt = time.GetTimestamp();
                show(now with { EventsPerSecond = seconds > 0 ? (now.Delivered - last.Delivered) / seconds : 0 });
                last = now;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // duration over or Ctrl+C
        }
    }

    private static DemoSnapshot Snapshot(TimeSpan elapsed, DemoEventGenerator generator, DemoStats stats, IPipelineStatusSource status, DemoApi api)
    {
        var pipeline = status.Snapshot().FirstOrDefault(s => s.Destination == Destination);
        return new DemoSnapshot(
            elapsed,
            generator.Produced,
            stats.Consumed,
            stats.Delivered,
            stats.RetriedByTier,
            stats.Held,
            stats.DeadLettered,
            pipeline?.InFlightEvents ?? 0,
            pipeline?.Lag ?? 0,
            0,
            (pipeline is null ? "Starting" : pipeline.State.ToString()) + (api.Down ? " (demo API down)" : string.Empty));
    }
}
