using System.Text;
using Confluent.Kafka;
using Delivery.Worker.Hosting;
using Delivery.Worker.Kafka;
using Delivery.Worker.Tests.Cli;
using Delivery.Worker.Tests.Hosting;
using Delivery.Worker.Tests.Infrastructure;

namespace Delivery.Worker.Tests.Secrets;

/// <summary>
/// A destination that echoes the worker's bearer token in its per-event and whole-request error bodies, through the
/// real worker host (pipeline, header codec, logging, /metrics) on the embedded Kafka cluster: the token appears in no
/// retry or dead-letter record, no log line, no metric and no <c>dlq inspect</c> output.
/// </summary>
public sealed class SecretRedactionLedgerTests
{
    private const int WholeEvents = 3;
    private const int RejectEvents = 3;
    private const int RetryEvents = 2;

    [Fact]
    public async Task EchoedBearerToken_ReachesNoRecordLogMetricOrCliOutput()
    {
        var token = $"tok-{Guid.NewGuid():N}";
        using var cluster = KafkaTestCluster.Create(1);
        await using var destination = await EchoingDestination.StartAsync();
        var name = KafkaTestCluster.Unique("secret");
        var source = KafkaTestCluster.Unique("source");
        using var tokenFile = new TempSettingsFile(token + "\n"); // a mounted secret: the file's content is the token
        using var settings = new TempSettingsFile(Config(cluster.BootstrapServers, name, source, destination.BaseAddress, tokenFile.Path));
        await cluster.CreateTopicAsync(source, 1);
        await cluster.CreateTopicAsync($"{name}.retry.1", 1);
        await cluster.CreateTopicAsync($"{name}.dlq", 1);
        using var log = new StringWriter();
        using var dlq = cluster.Read($"{name}.dlq");
        using var retry = cluster.Read($"{name}.retry.1");
        string metrics;
        await using (var worker = await RunningWorker.StartAsync(new WorkerHostSettings { UseEnvironmentVariables = false, ConfigFile = settings.Path, LogOutput = log }))
        {
            // Whole-request errors first, alone in their batches; then per-event errors (rejected and retried).
            await cluster.ProduceAsync(source, Events("whole", WholeEvents));
            await Wait.UntilAsync(() => dlq.Poll().Count >= WholeEvents, TimeSpan.FromSeconds(60), "the whole-request errors are dead-lettered");
            await cluster.ProduceAsync(source, [.. Events("reject", RejectEvents), .. Events("retry", RetryEvents)]);
            await Wait.UntilAsync(() => dlq.Poll().Count >= WholeEvents + RejectEvents + RetryEvents, TimeSpan.FromSeconds(60), "every event is dead-lettered");
            await Wait.UntilAsync(() => retry.Poll().Count >= RetryEvents, TimeSpan.FromSeconds(30), "the retried events are on the retry topic");
            metrics = await worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }

        // The destination really saw — and echoed — the token.
        Assert.Contains($"Bearer {token}", destination.Authorizations);

        var records = dlq.Poll().Concat(retry.Poll()).ToArray();
        Assert.Equal(WholeEvents + RejectEvents + (2 * RetryEvents), records.Length);
        foreach (var record in records)
        {
            foreach (var header in record.Message.Headers)
            {
                Assert.DoesNotContain(token, Encoding.UTF8.GetString(header.GetValueBytes()), StringComparison.Ordinal);
            }

            Assert.DoesNotContain(token, Encoding.UTF8.GetString(record.Message.Value), StringComparison.Ordinal);
            var message = Header(record, DeliveryHeaders.ErrorMessage);
            Assert.Contains("***", message, StringComparison.Ordinal); // the echo was there, and was masked
        }

        Assert.Contains(records, r => Header(r, DeliveryHeaders.ErrorMessage).Contains("invalid request", StringComparison.Ordinal)); // whole-request body
        Assert.Contains(records, r => Header(r, DeliveryHeaders.ErrorMessage).StartsWith("rejected for Authorization: Bearer ***", StringComparison.Ordinal)); // per-event

        var logged = log.ToString();
        Assert.Contains("proxy saw Authorization", logged, StringComparison.Ordinal); // the contract violation was logged with the entry's text…
        Assert.DoesNotContain(token, logged, StringComparison.Ordinal); // …masked

        Assert.Contains("delivery_events_total", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(token, metrics, StringComparison.Ordinal);

        var text = await CliRun.InvokeAsync(new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = TextWriter.Null }, CancellationToken.None, "dlq", "inspect", "-d", name, "--newest", "20", "--config", settings.Path);
        var json = await CliRun.InvokeAsync(new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = TextWriter.Null }, CancellationToken.None, "dlq", "inspect", "-d", name, "--newest", "20", "--json", "--config", settings.Path);
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.True(json.ExitCode == 0, json.Error);
        Assert.Contains("Bearer ***", text.Output, StringComparison.Ordinal);
        foreach (var output in new[] { text.Output, text.Error, json.Output, json.Error })
        {
            Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        }
    }

    private static string Header(ConsumeResult<byte[], byte[]> record, string key)
        => record.Message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : string.Empty;

    private static IEnumerable<Message<byte[], byte[]>> Events(string kind, int count)
        => Enumerable.Range(0, count).Select(i => new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes($"{kind}-{i}"),
            Value = Encoding.UTF8.GetBytes($"{{\"kind\":\"{kind}\",\"n\":{i}}}"),
            Headers = new Headers { { "event-id", Encoding.UTF8.GetBytes($"{kind}-{i}") } },
        });

    private static string Config(string bootstrap, string name, string source, Uri destination, string tokenFile) => $$"""
        {
          "Delivery": {
            "Kafka": {
              "BootstrapServers": "{{bootstrap}}", "CreateTopics": false, "GroupProtocol": "Classic",
              "Client": { "heartbeat.interval.ms": "100", "session.timeout.ms": "6000", "topic.metadata.refresh.interval.ms": "2000" }
            },
            "Http": { "Port": 0 },
            "Pipeline": { "CommitInterval": "00:00:00.100" },
            "Destinations": {
              "{{name}}": {
                "Type": "HttpBatch", "SourceTopics": [ "{{source}}" ], "EventIdHeader": "event-id",
                "Batch": { "MaxEvents": 10, "MaxWait": "00:00:00.050" },
                "Retry": { "MaxAttempts": 2, "Jitter": 0, "Delays": [ "00:00:00.200" ] },
                "Http": { "BaseAddress": "{{destination}}", "BearerTokenFile": "{{tokenFile}}" },
                "Settings": { "Path": "events" }
              }
            }
          }
        }
        """;
}
