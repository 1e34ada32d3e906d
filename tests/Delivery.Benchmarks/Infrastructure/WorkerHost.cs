using Delivery.Destinations;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// Builds a worker host the way the real composition root does (configuration + AddDeliveryDestinations +
/// AddDeliveryPipeline), with one destination, against the embedded cluster or a bootstrap address.
/// </summary>
internal static class WorkerHost
{
    /// <summary>Configuration of one destination <paramref name="name"/> of <paramref name="type"/> reading <paramref name="sourceTopic"/>.</summary>
    public static Dictionary<string, string?> Settings(string name, string type, string sourceTopic)
    {
        var prefix = $"Delivery:Destinations:{name}";
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Delivery:Kafka:Embedded"] = "true",
            ["Delivery:Kafka:TopicPartitions"] = "6",
            ["Delivery:ShutdownTimeout"] = "00:00:10",
            ["Delivery:Pipeline:CommitInterval"] = "00:00:00.100",
            [$"{prefix}:Type"] = type,
            [$"{prefix}:SourceTopics:0"] = sourceTopic,
            [$"{prefix}:EventIdHeader"] = EventPayloads.EventIdHeader,
            [$"{prefix}:Batch:MaxEvents"] = "500",
            [$"{prefix}:Batch:MaxConcurrent"] = "4",
        };

        // Diagnostics only (never set by ./build.sh bench): BENCH_WORKER_SETTINGS="key=value;key=value" overrides worker keys.
        foreach (var pair in (Environment.GetEnvironmentVariable("BENCH_WORKER_SETTINGS") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            settings[parts[0].Replace("{name}", name, StringComparison.Ordinal)] = parts.Length > 1 ? parts[1] : null;
        }

        return settings;
    }

    public static async Task<IHost> StartAsync(EmbeddedKafkaCluster? embedded, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        // Diagnostics: BENCH_LOG_LEVEL=Information|Debug shows the worker's own log (default: errors only).
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("BENCH_LOG_LEVEL"), out var parsed) ? parsed : LogLevel.Error;
        builder.Logging.SetMinimumLevel(level);
        builder.Logging.AddProvider(new ErrorLoggerProvider(level));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        if (embedded is not null)
        {
            builder.Services.AddSingleton(embedded);
        }

        builder.Services.AddDeliveryDestinations(builder.Configuration);
        configure?.Invoke(builder.Services);
        builder.Services.AddDeliveryPipeline(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
