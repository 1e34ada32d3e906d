using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Delivery.Core;
using Delivery.Worker.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// One test scenario: a unique destination (topics, group) on a <see cref="KafkaTestCluster"/>, and worker hosts built
/// the way the real host composes them (options + AddDeliveryPipeline + a keyed handler factory), never Program.cs.
/// </summary>
internal sealed class PipelineScenario : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];
    private readonly List<XunitLoggerProvider> _logs = [];

    public PipelineScenario(KafkaTestCluster cluster, ITestOutputHelper output, ScriptedDestination? destination = null)
    {
        Cluster = cluster;
        Output = output;
        Destination = destination ?? new ScriptedDestination();
        Name = KafkaTestCluster.Unique("dest");
        SourceTopic = KafkaTestCluster.Unique("source");
        Settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Delivery:ShutdownTimeout"] = "00:00:10",
            ["Delivery:Kafka:TopicPartitions"] = "2",

            // Short client-side sessions keep these in-process tests fast, which only the classic protocol allows
            // (KIP-848 takes them from the broker). The fleet tests (Process/WorkerFleetTests) run the defaults.
            ["Delivery:Kafka:GroupProtocol"] = "Classic",
            ["Delivery:Kafka:Client:heartbeat.interval.ms"] = "100",
            ["Delivery:Kafka:Client:session.timeout.ms"] = cluster.Embedded is null ? "6000" : "2000",
            ["Delivery:Kafka:Client:topic.metadata.refresh.interval.ms"] = "2000",
            [$"{Prefix}:Type"] = ScriptedDestination.TypeName,
            [$"{Prefix}:SourceTopics:0"] = SourceTopic,
            [$"{Prefix}:EventIdHeader"] = "event-id",
            [$"{Prefix}:Batch:MaxEvents"] = "50",
            [$"{Prefix}:Batch:MaxWait"] = "00:00:00.020",
            [$"{Prefix}:Batch:MaxConcurrent"] = "4",
            [$"{Prefix}:Retry:MaxAttempts"] = "4",
            [$"{Prefix}:Retry:Jitter"] = "0.1",
            [$"{Prefix}:Retry:Delays:0"] = "00:00:00.150",
            [$"{Prefix}:Retry:Delays:1"] = "00:00:00.250",
            ["Delivery:Pipeline:CommitInterval"] = "00:00:00.100",
            ["Delivery:Pipeline:HoldInitialBackoff"] = "00:00:00.100",
            ["Delivery:Pipeline:HoldMaxBackoff"] = "00:00:00.400",
            ["Delivery:Pipeline:CircuitBreakDuration"] = "00:00:00.500",
            ["Delivery:Pipeline:ProduceRetryInitialBackoff"] = "00:00:00.050",
            ["Delivery:Pipeline:ProduceRetryMaxBackoff"] = "00:00:00.500",
            ["Delivery:Pipeline:RevokeTimeout"] = "00:00:05",
        };
        if (cluster.Embedded is null)
        {
            Settings["Delivery:Kafka:BootstrapServers"] = cluster.BootstrapServers;
            Settings["Delivery:Kafka:CreateTopics"] = "true";
        }
        else
        {
            Settings["Delivery:Kafka:Embedded"] = "true";
        }
    }

    public KafkaTestCluster Cluster { get; }

    public ITestOutputHelper Output { get; }

    public ScriptedDestination Destination { get; }

    public string Name { get; }

    public string SourceTopic { get; }

    public string Prefix => $"Delivery:Destinations:{Name}";

    public string Group => $"delivery.{Name}";

    public string DeadLetterTopic => $"{Name}.dlq";

    public string RetryTopic(int tier) => $"{Name}.retry.{tier}";

    public Dictionary<string, string?> Settings { get; }

    public LogLevel LogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Extra registrations (e.g. a second destination type).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public IReadOnlyList<IHost> Hosts => _hosts;

    /// <summary>How often the workers of this scenario logged an EventId (every level from Information).</summary>
    public int Logged(int eventId) => _logs.Sum(l => l.Counts.GetValueOrDefault(eventId));

    public Task CreateSourceAsync(int partitions = 2) => Cluster.CreateTopicAsync(SourceTopic, partitions);

    /// <summary>Produces events <c>{prefix}{i}</c> with header <c>event-id</c>, key <c>k{i}</c> and a JSON value.</summary>
    public Task ProduceEventsAsync(IEnumerable<string> eventIds)
        => Cluster.ProduceAsync(SourceTopic, eventIds.Select(Message));

    public static Message<byte[], byte[]> Message(string eventId) => new()
    {
        Key = Encoding.UTF8.GetBytes("k-" + eventId),
        Value = Encoding.UTF8.GetBytes($"{{\"id\":\"{eventId}\"}}"),
        Headers = new Headers { { "event-id", Encoding.UTF8.GetBytes(eventId) }, { "custom", [0xde, 0xad, 0x00, 0xbe, 0xef] } },
    };

    public async Task<IHost> StartWorkerAsync()
    {
        var logs = new XunitLoggerProvider(Output, LogLevel);
        _logs.Add(logs);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddProvider(logs);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        if (Cluster.Embedded is not null)
        {
            builder.Services.AddSingleton(Cluster.Embedded);
        }

        builder.Services.AddKeyedSingleton<IDestinationHandlerFactory>(ScriptedDestination.TypeName, Destination);
        ConfigureServices?.Invoke(builder.Services);
        builder.Services.AddDeliveryPipeline(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        _hosts.Add(host);
        return host;
    }

    public async Task StopWorkerAsync(IHost host)
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

        _hosts.Remove(host);
    }

    public static IReadOnlyList<DestinationStatus> Status(IHost host) => host.Services.GetRequiredService<IPipelineStatusSource>().Snapshot();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.ToList())
        {
            await StopWorkerAsync(host);
        }
    }

    /// <summary>A setting of this scenario, parsed (duplicate bounds are derived from the configuration that drives them).</summary>
    public T Setting<T>(string key)
        where T : IParsable<T> => T.Parse(Settings[key] ?? throw new KeyNotFoundException(key), CultureInfo.InvariantCulture);

    public static string Ms(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
