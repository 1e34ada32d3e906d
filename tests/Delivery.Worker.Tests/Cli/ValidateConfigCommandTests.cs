using Delivery.Core;
using Delivery.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Tests.Cli;

public sealed class ValidateConfigCommandTests
{
    [Fact]
    public async Task ValidateConfig_UnknownDestinationType_NamesTheKeyAndExitsOne()
    {
        using var settings = new TempSettingsFile("""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" },
              "Destinations": { "orders": { "Type": "Carrier-Pigeon", "SourceTopics": [ "orders" ] } } } }
            """);

        var (code, output, error) = await CliRun.InvokeAsync("validate-config", "--config", settings.Path);

        Assert.Equal(1, code);
        Assert.DoesNotContain("configuration OK", output, StringComparison.Ordinal);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.Contains("Carrier-Pigeon", StringComparison.Ordinal));
        Assert.StartsWith("Delivery:Destinations:orders:Type:", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateConfig_ValueOfTheWrongType_NamesTheKeyAndExitsOne()
    {
        using var settings = new TempSettingsFile("""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" },
              "Destinations": { "orders": { "Type": "HttpBatch", "SourceTopics": [ "orders" ], "Batch": { "MaxEvents": "lots" } } } } }
            """);

        var (code, _, error) = await CliRun.InvokeAsync("validate-config", "--config", settings.Path);

        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Delivery:Destinations:orders:Batch:MaxEvents: ", line, StringComparison.Ordinal);
        Assert.Contains("'lots'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateConfig_ValidConfiguration_PrintsOkAndExitsZero()
    {
        using var settings = new TempSettingsFile($$"""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" }, "Http": { "Port": 0 },
              "Destinations": { "orders": { "Type": "{{AcceptingDestinationFactory.TypeName}}", "SourceTopics": [ "orders" ] } } } }
            """);
        var template = new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            LogOutput = TextWriter.Null,
            ConfigureServices = static services => services.AddKeyedSingleton<IDestinationHandlerFactory, AcceptingDestinationFactory>(AcceptingDestinationFactory.TypeName),
        };

        var (code, output, error) = await CliRun.InvokeAsync(template, CancellationToken.None, "validate-config", "--config", settings.Path);

        Assert.True(code == 0, error);
        Assert.Equal("configuration OK", output.Trim());
        Assert.Empty(error);
    }

    [Fact]
    public async Task ValidateConfig_MissingConfigFile_ExitsOneNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");

        var (code, _, error) = await CliRun.InvokeAsync("validate-config", "--config", missing);

        Assert.Equal(1, code);
        Assert.Contains(Path.GetFileName(missing), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidConfiguration_StopsBeforeStartingWithOneLinePerProblem()
    {
        using var settings = new TempSettingsFile("""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" }, "Http": { "Port": 0 },
              "Destinations": { "orders": { "Type": "NoSuchType", "SourceTopics": [ "orders" ] } } } }
            """);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var (code, _, error) = await CliRun.InvokeAsync(
            new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = TextWriter.Null },
            timeout.Token,
            "run", "--config", settings.Path);

        Assert.Equal(1, code);
        Assert.False(timeout.IsCancellationRequested);
        Assert.StartsWith("Delivery:Destinations:orders:Type:", error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateConfig_RetryDelayThatIsNotADuration_NamesTheElementKey()
    {
        using var settings = new TempSettingsFile("""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" },
              "Destinations": { "orders": { "Type": "HttpBatch", "SourceTopics": [ "orders" ], "Retry": { "Delays": [ "00:00:05", "ten minutes" ] } } } } }
            """);

        var (code, _, error) = await CliRun.InvokeAsync("validate-config", "--config", settings.Path);

        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Delivery:Destinations:orders:Retry:Delays:1: ", line, StringComparison.Ordinal);
        Assert.Contains("'ten minutes'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateConfig_BadDeliveryControls_NamesEachKeyAndItsValue()
    {
        using var settings = new TempSettingsFile($$"""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" }, "Http": { "Port": 0 },
              "Destinations": { "orders": { "Type": "{{AcceptingDestinationFactory.TypeName}}", "SourceTopics": [ "orders" ],
                "Batch": { "RetryShare": 1.5 },
                "RateLimit": { "EventsPerSecond": -1, "EventsBurst": -2, "RequestsPerSecond": 200000, "RequestsBurst": -3 },
                "Concurrency": { "HealthyInterval": "00:00:00.010" } } } } }
            """);
        var template = new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            LogOutput = TextWriter.Null,
            ConfigureServices = static services => services.AddKeyedSingleton<IDestinationHandlerFactory, AcceptingDestinationFactory>(AcceptingDestinationFactory.TypeName),
        };

        var (code, _, error) = await CliRun.InvokeAsync(template, CancellationToken.None, "validate-config", "--config", settings.Path);

        Assert.Equal(1, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var (key, value) in new[]
        {
            ("Batch:RetryShare", "1.5"), ("RateLimit:EventsPerSecond", "-1"), ("RateLimit:EventsBurst", "-2"),
            ("RateLimit:RequestsPerSecond", "200000"), ("RateLimit:RequestsBurst", "-3"), ("Concurrency:HealthyInterval", "00:00:00.0100000"),
        })
        {
            Assert.Contains(lines, l => l.StartsWith($"Delivery:Destinations:orders:{key}: ", StringComparison.Ordinal) && l.EndsWith($"(was {value})", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Run_ClassicSessionKeysWithDefaultGroupProtocol_RefusedAtStartInOneLine()
    {
        using var settings = new TempSettingsFile("""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9", "Client": { "session.timeout.ms": "6000", "heartbeat.interval.ms": "500" } },
              "Http": { "Port": 0 },
              "Destinations": { "orders": { "Type": "HttpBatch", "SourceTopics": [ "orders" ], "Http": { "BaseAddress": "http://127.0.0.1:9/" } } } } }
            """);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var (code, _, error) = await CliRun.InvokeAsync(
            new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = TextWriter.Null },
            timeout.Token,
            "run", "--config", settings.Path);

        Assert.Equal(1, code);
        Assert.False(timeout.IsCancellationRequested);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Delivery:Kafka:Client: session.timeout.ms, heartbeat.interval.ms must not be set with Delivery:Kafka:GroupProtocol Auto", line, StringComparison.Ordinal);
    }
}
