using System.Text;
using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Core.Outcomes;
using Delivery.Worker.Hosting;
using Delivery.Worker.Kafka;
using Delivery.Worker.Tests.Cli;
using Delivery.Worker.Tests.Infrastructure;

namespace Delivery.Worker.Tests.Dlq;

/// <summary>A destination with a dead-letter topic filled with records encoded by the worker's own header codec.</summary>
internal sealed class DlqFixture : IDisposable
{
    private readonly TempSettingsFile _settings;

    private DlqFixture(KafkaTestCluster cluster, string destination, int maxRedrives)
    {
        Cluster = cluster;
        Destination = destination;
        _settings = new TempSettingsFile($$"""
            { "Delivery": { "Kafka": { "BootstrapServers": "{{cluster.BootstrapServers}}" }, "Http": { "Port": 0 },
              "Destinations": { "{{destination}}": { "Type": "NoOp", "SourceTopics": [ "{{destination}}-source" ],
                                                      "DeadLetter": { "MaxRedrives": {{maxRedrives}} } } } } }
            """);
    }

    public KafkaTestCluster Cluster { get; }

    public string Destination { get; }

    public string DlqTopic => $"{Destination}.dlq";

    public string RetryTopic => $"{Destination}.retry.1";

    public static async Task<DlqFixture> CreateAsync(int maxRedrives = 3)
    {
        var cluster = KafkaTestCluster.Create(1);
        var fixture = new DlqFixture(cluster, KafkaTestCluster.Unique("dlq"), maxRedrives);
        await cluster.CreateTopicAsync(fixture.DlqTopic, 2);
        await cluster.CreateTopicAsync(fixture.RetryTopic, 2);
        return fixture;
    }

    /// <summary>Produces one DLQ record per spec: (reason, status, error type, redrive count, dead-lettered at).</summary>
    public async Task<IReadOnlyList<string>> DeadLetterAsync(params (DeadLetterReason Reason, int Status, string ErrorType, int Redrives, DateTimeOffset At)[] specs)
    {
        var ids = new List<string>();
        var messages = new List<Message<byte[], byte[]>>();
        foreach (var (spec, i) in specs.Select(static (s, i) => (s, i)))
        {
            var id = $"evt-{i}";
            ids.Add(id);
            var values = new DeliveryRecordHeaders
            {
                EventId = id,
                Attempt = spec.Reason == DeadLetterReason.NonRetryable ? 1 : 10,
                FirstAttemptAt = spec.At.AddMinutes(-5),
                Origin = new EventOrigin($"{Destination}-source", i % 2, i, spec.At.AddMinutes(-5)),
                Destination = Destination,
                ConsumerGroup = $"delivery.{Destination}",
                Error = new DeliveryError(spec.Status, spec.ErrorType, $"failed with {spec.Status}", "{\"error\":\"nope\"}"),
                DeadLetterReason = spec.Reason,
                DeadLetteredAt = spec.At,
                RedriveCount = spec.Redrives,
            };
            var own = new Headers { { "trace-id", Encoding.UTF8.GetBytes($"t{i}") } };
            messages.Add(new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes($"key-{i}"),
                Value = Encoding.UTF8.GetBytes($$"""{"n":{{i}},"text":"{{new string('x', 300)}}"}"""),
                Headers = DeliveryHeaderCodec.Encode(own, values, 4096),
            });
        }

        await Cluster.ProduceAsync(DlqTopic, messages);
        return ids;
    }

    public Task<(int ExitCode, string Output, string Error)> CliAsync(params string[] args) =>
        CliRun.InvokeAsync(new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = TextWriter.Null }, CancellationToken.None, [.. args, "--config", _settings.Path]);

    /// <summary>Every record on retry tier 1 (waits until <paramref name="expected"/> arrived or the deadline passes).</summary>
    public async Task<IReadOnlyList<ConsumeResult<byte[], byte[]>>> RetryRecordsAsync(int expected)
    {
        using var reader = Cluster.Read(RetryTopic);
        try
        {
            await Wait.UntilAsync(() => reader.Poll().Count >= expected, TimeSpan.FromSeconds(15), $"{expected} records are on {RetryTopic}");
        }
        catch (TimeoutException)
        {
            // The caller's assertion on what did arrive says more than the timeout.
        }

        return [.. reader.Records];
    }

    public void Dispose()
    {
        _settings.Dispose();
        Cluster.Dispose();
    }
}
