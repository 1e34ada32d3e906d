using System.Text.Json;
using Delivery.Core.Options;
using Delivery.Worker.Hosting;
using Delivery.Worker.Logging;
using Delivery.Worker.Tests.Cli;
using Delivery.Worker.Tests.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Tests.Logging;

public sealed class SecretLoggingTests
{
    [Fact]
    public async Task Logs_KafkaPasswordAndBearerToken_NeverAppearInOutput()
    {
        var saslPassword = $"sasl-{Guid.NewGuid():N}";
        var bearerToken = $"tok-{Guid.NewGuid():N}";
        var tokenVariable = $"DELIVERY_TEST_TOKEN_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(tokenVariable, bearerToken);
        try
        {
            var configuration = RunningWorker.BaseConfiguration();
            configuration["Delivery:Kafka:Client:sasl.username"] = "worker";
            configuration["Delivery:Kafka:Client:sasl.password"] = saslPassword;
            configuration["Delivery:Destinations:orders:Type"] = "HttpBatch";
            configuration["Delivery:Destinations:orders:Enabled"] = "false";
            configuration["Delivery:Destinations:orders:Http:BearerTokenEnvironmentVariable"] = tokenVariable;
            using var log = new StringWriter();
            await using (var worker = await RunningWorker.StartAsync(new WorkerHostSettings { UseEnvironmentVariables = true, Overrides = configuration, LogOutput = log }))
            {
                var logger = worker.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Delivery.Worker.Tests");
                var options = worker.App.Configuration.GetSection(DeliveryOptions.SectionName).Get<DeliveryOptions>()!;
                var token = Environment.GetEnvironmentVariable(tokenVariable);

#pragma warning disable CA1873 // deliberately careless logging calls
                // The careless things a future change might do: log the client settings, a header, a named secret.
                logger.LogInformation("Kafka client {@Client}", options.Kafka.Client);
                logger.LogInformation("Kafka {@Kafka}", new { options.Kafka.BootstrapServers, options.Kafka.Client });
                logger.LogInformation("Sending with {Authorization}", $"Bearer {token}");
                logger.LogInformation("Loaded {BearerToken} for {Destination}", token, "orders");
                logger.LogWarning("Header {Header}", $"Bearer {token}");
#pragma warning restore CA1873
            }

            var text = log.ToString();
            Assert.Contains("Kafka client", text, StringComparison.Ordinal); // the calls reached the sink
            Assert.Contains(SecretMaskingEnricher.Mask, text, StringComparison.Ordinal); // the secrets were logged — and masked
            Assert.Contains("worker", text, StringComparison.Ordinal); // ordinary values survive
            Assert.DoesNotContain(saslPassword, text, StringComparison.Ordinal);
            Assert.DoesNotContain(bearerToken, text, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(tokenVariable, null);
        }
    }

    [Fact]
    public async Task Cli_ValidateAndRunWithSecrets_NeverPrintTheSecret()
    {
        var saslPassword = $"sasl-{Guid.NewGuid():N}";
        using var settings = new TempSettingsFile($$"""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9", "Client": { "sasl.password": "{{saslPassword}}" } }, "Http": { "Port": 0 },
              "Destinations": { "orders": { "Type": "NoSuchType", "SourceTopics": [ "orders" ], "Batch": { "MaxWait": "soon" } } } } }
            """);
        using var log = new StringWriter();
        var template = new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = log };

        var validate = await CliRun.InvokeAsync(template, CancellationToken.None, "validate-config", "--config", settings.Path);
        var run = await CliRun.InvokeAsync(template, CancellationToken.None, "run", "--config", settings.Path);

        Assert.Equal(1, validate.ExitCode);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(validate.Error.Split('\n'), l => l.StartsWith("Delivery:Destinations:orders:Batch:MaxWait: ", StringComparison.Ordinal) && l.Contains("'soon'", StringComparison.Ordinal));
        foreach (var text in new[] { validate.Output, validate.Error, run.Output, run.Error, log.ToString() })
        {
            Assert.DoesNotContain(saslPassword, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Create_OutsideDevelopment_WritesOneJsonObjectPerLine()
    {
        using var output = new StringWriter();
        using (var logger = DeliveryLogging.Create(new ConfigurationBuilder().Build(), development: false, output))
        {
            logger.Information("Delivered {Count} events to {Destination}", 3, "orders");
        }

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("Delivered 3 events to \"orders\"", json.RootElement.GetProperty("RenderedMessage").GetString());
        Assert.Equal("orders", json.RootElement.GetProperty("Properties").GetProperty("Destination").GetString());
    }

    [Fact]
    public void Create_InDevelopment_WritesReadableLines()
    {
        using var output = new StringWriter();
        using (var logger = DeliveryLogging.Create(new ConfigurationBuilder().Build(), development: true, output))
        {
            logger.ForContext("SourceContext", "Delivery.Worker").Information("Delivered {Count} events to {Destination}", 3, "orders");
        }

        var text = output.ToString();
        Assert.Matches(@"^\[\d\d:\d\d:\d\d INF\] Delivery.Worker: Delivered 3 events to orders", text);
        Assert.False(text.TrimStart().StartsWith('{'));
    }

    [Fact]
    public void CreateBootstrapLogger_FailureBeforeTheHost_OneReadableJsonLineWithSecretsMasked()
    {
        using var output = new StringWriter();
        var logger = DeliveryLogging.CreateBootstrapLogger(output);
        logger.Fatal(new InvalidOperationException("startup failed"), "delivery-worker stopped before it could run: {Token}", "s3cr3t-token");
        ((IDisposable)logger).Dispose();

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("Fatal", json.RootElement.GetProperty("Level").GetString());
        Assert.Contains("startup failed", json.RootElement.GetProperty("Exception").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-token", line, StringComparison.Ordinal);
    }
}
