using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Delivery.Worker.Hosting;
using Delivery.Worker.Tests.Cli;
using Delivery.Worker.Tests.Hosting;
using Delivery.Worker.Tests.Infrastructure;

namespace Delivery.Worker.Tests.Pipeline.Controls;

/// <summary>One HttpBatch destination of the real worker host on a test cluster, pointed at a <see cref="ControlledDestination"/>.</summary>
internal sealed class ControlsScenario : IAsyncDisposable
{
    private TempSettingsFile? _settings;
    private RunningWorker? _worker;

    public ControlsScenario(KafkaTestCluster cluster, ControlledDestination destination)
    {
        Cluster = cluster;
        Destination = destination;
        Name = KafkaTestCluster.Unique("controls");
        Source = KafkaTestCluster.Unique("source");
    }

    public KafkaTestCluster Cluster { get; }

    public ControlledDestination Destination { get; }

    public string Name { get; }

    public string Source { get; }

    public string RetryTopic => $"{Name}.retry.1";

    public string DeadLetterTopic => $"{Name}.dlq";

    public RunningWorker Worker => _worker ?? throw new InvalidOperationException("not started");

    public async Task CreateTopicsAsync()
    {
        await Cluster.CreateTopicAsync(Source, 1);
        await Cluster.CreateTopicAsync(RetryTopic, 1);
        await Cluster.CreateTopicAsync(DeadLetterTopic, 1);
    }

    /// <summary>Starts the worker; <paramref name="destination"/> is the destination's JSON members after Type, SourceTopics and Http.</summary>
    public async Task StartAsync(string destination)
    {
        _settings = new TempSettingsFile($$"""
            {
              "Delivery": {
                "Kafka": {
                  "BootstrapServers": "{{Cluster.BootstrapServers}}", "CreateTopics": false, "GroupProtocol": "Classic",
                  "Client": { "heartbeat.interval.ms": "100", "session.timeout.ms": "6000", "topic.metadata.refresh.interval.ms": "2000", "fetch.wait.max.ms": "100" }
                },
                "Http": { "Port": 0 },
                "Pipeline": {
                  "CommitInterval": "00:00:00.100", "HoldInitialBackoff": "00:00:00.100", "HoldMaxBackoff": "00:00:00.400",
                  "CircuitBreakDuration": "00:00:00.500"
                },
                "Destinations": {
                  "{{Name}}": {
                    "Type": "HttpBatch", "SourceTopics": [ "{{Source}}" ], "EventIdHeader": "event-id",
                    "Http": { "BaseAddress": "{{Destination.BaseAddress}}" },
                    "Retry": { "Jitter": 0, "Delays": [ "00:00:00.200" ] },
                    {{destination}}
                  }
                }
              }
            }
            """);
        _worker = await RunningWorker.StartAsync(new WorkerHostSettings { UseEnvironmentVariables = false, ConfigFile = _settings.Path, LogOutput = TextWriter.Null });
    }

    public static Message<byte[], byte[]> Event(string id, Headers? headers = null)
    {
        headers ??= [];
        headers.Add("event-id", Encoding.UTF8.GetBytes(id));
        return new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes(id),
            Value = Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"),
            Headers = headers,
        };
    }

    public static IEnumerable<Message<byte[], byte[]>> Events(string prefix, int count)
        => Enumerable.Range(0, count).Select(i => Event(prefix + i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The destination's <c>delivery_concurrency_limit</c> gauge from /metrics.</summary>
    public async Task<int> ConcurrencyLimitAsync()
    {
        var text = await Worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return int.Parse(Metrics.MetricsScrape.Value(text, "delivery_concurrency_limit", ("destination", Name)), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        _settings?.Dispose();
    }
}
