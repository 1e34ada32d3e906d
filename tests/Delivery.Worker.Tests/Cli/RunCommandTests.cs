using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Delivery.Worker.Hosting;
using Delivery.Worker.Tests.Infrastructure;

namespace Delivery.Worker.Tests.Cli;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_EmbeddedKafka_LogsABootstrapAddressOtherClientsCanUse()
    {
        using var settings = new TempSettingsFile("""
            { "Delivery": { "Kafka": { "Embedded": true, "EmbeddedBrokers": 1, "TopicPartitions": 1, "TopicReplicationFactor": 1 }, "Http": { "Port": 0 },
              "Destinations": { "orders": { "Type": "NoOp", "SourceTopics": [ "orders" ] } } } }
            """);
        using var log = new SynchronizedLog();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var run = CliRun.InvokeAsync(new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = log }, stop.Token, "run", "--config", settings.Path);
        await Wait.UntilAsync(() => Logged(log.Text) is not null || run.IsCompleted, TimeSpan.FromSeconds(30), "the embedded cluster's address is logged");
        Assert.False(run.IsCompleted, log.Text);
        var (bootstrap, message) = Logged(log.Text)!.Value;
        Assert.Matches(@"^127\.0\.0\.1:\d+$", bootstrap);
        Assert.Contains($"listening on \"{bootstrap}\"", message, StringComparison.Ordinal);

        // Another client reaches the cluster at that address: it produces into the worker's source topic.
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, MessageTimeoutMs = 10_000 }).Build())
        {
            var result = await producer.ProduceAsync("orders", new Message<byte[], byte[]> { Value = Encoding.UTF8.GetBytes("{}") });
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }

        await stop.CancelAsync();
        var (code, _, error) = await run;
        Assert.True(code == 0, error);
    }

    // The JSON log line of EventId 1005: (BootstrapServers property, rendered message).
    private static (string Bootstrap, string Message)? Logged(string log)
    {
        var complete = log[..(log.LastIndexOf('\n') + 1)]; // a line still being written is read next time
        foreach (var line in complete.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var properties = json.RootElement.GetProperty("Properties");
            if (properties.TryGetProperty("EventId", out var id) && id.GetProperty("Id").GetInt32() == 1005)
            {
                return (properties.GetProperty("BootstrapServers").GetString()!, json.RootElement.GetProperty("RenderedMessage").GetString()!);
            }
        }

        return null;
    }
}
