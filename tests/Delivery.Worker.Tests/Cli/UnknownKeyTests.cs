using Delivery.Worker.Hosting;
using Microsoft.Extensions.Configuration;

namespace Delivery.Worker.Tests.Cli;

/// <summary>Misspelt keys under Delivery, through the real validate-config and run commands and ConfigurationValidator.</summary>
public sealed class UnknownKeyTests
{
    private const string Destination = """
        "Type": "HttpBatch", "SourceTopics": [ "orders" ], "Http": { "BaseAddress": "http://127.0.0.1:9" }
        """;

    [Theory]
    [InlineData("\"Settings\": { \"Path\": \"/e\" }, \"Batch\": { \"MaxEvent\": 200 }", "Delivery:Destinations:orders:Batch:MaxEvent: unknown key (did you mean MaxEvents?)")]
    [InlineData("\"Settings\": { \"Path\": \"/e\" }, \"Retry\": { \"MaxAtempts\": 3 }", "Delivery:Destinations:orders:Retry:MaxAtempts: unknown key (did you mean MaxAttempts?)")]
    [InlineData("\"Settings\": { \"Path\": \"/e\", \"Pth\": \"/events\" }", "Delivery:Destinations:orders:Settings:Pth: unknown key (did you mean Path?)")]
    public async Task ValidateConfig_MisspeltKey_OneLineWithTheSuggestionAndExitOne(string misspelt, string expected)
    {
        using var settings = new TempSettingsFile($$"""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" },
              "Destinations": { "orders": { {{Destination}}, {{misspelt}} } } } }
            """);

        var (code, output, error) = await CliRun.InvokeAsync("validate-config", "--config", settings.Path);

        Assert.Equal(1, code);
        Assert.DoesNotContain("configuration OK", output, StringComparison.Ordinal);
        Assert.Equal(expected, Assert.Single(Lines(error)));
    }

    [Fact]
    public async Task ValidateConfig_MisspeltKeyAndAProblemOfTheType_BothReported()
    {
        using var settings = new TempSettingsFile($$"""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" },
              "Destinations": { "orders": { {{Destination}}, "Batch": { "MaxEvent": 200 }, "Settings": { "EventsField": "" } } } } }
            """);

        var (code, _, error) = await CliRun.InvokeAsync("validate-config", "--config", settings.Path);

        Assert.Equal(1, code);
        var lines = Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.Equal("Delivery:Destinations:orders:Batch:MaxEvent: unknown key (did you mean MaxEvents?)", lines[0]);
        Assert.Equal("Delivery:Destinations:orders:Settings:EventsField: is required", lines[1]); // the type's own check still runs
    }

    [Fact]
    public async Task Run_MisspeltKey_StopsStartUpWithTheSameLine()
    {
        using var settings = new TempSettingsFile($$"""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" }, "Http": { "Port": 0 },
              "Destinations": { "orders": { {{Destination}}, "Settings": { "Path": "/e" }, "Retry": { "MaxAtempts": 3 } } } } }
            """);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var (code, _, error) = await CliRun.InvokeAsync(new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = TextWriter.Null }, timeout.Token, "run", "--config", settings.Path);

        Assert.Equal(1, code);
        Assert.False(timeout.IsCancellationRequested);
        Assert.Equal("Delivery:Destinations:orders:Retry:MaxAtempts: unknown key (did you mean MaxAttempts?)", Assert.Single(Lines(error)));
    }

    [Fact]
    public async Task ValidateConfig_UnrelatedSectionsWithAnyKeys_Accepted()
    {
        using var settings = new TempSettingsFile($$"""
            { "Logging": { "LogLevel": { "Default": "Debug", "Some.Category": "Warning" }, "Console": { "FormatterName": "json" } },
              "Serilog": { "Properties": { "Team": "ops" } },
              "OpenTelemetry": { "Anything": 1 },
              "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" }, "Pipeline": { "CommitInterval": "00:00:02" },
                "Health": { "LoopStallTimeout": "00:05:00" },
                "Destinations": { "orders": { {{Destination}}, "Settings": { "Path": "/events" } } } } }
            """);

        var (code, output, error) = await CliRun.InvokeAsync("validate-config", "--config", settings.Path);

        Assert.True(code == 0, error);
        Assert.Equal("configuration OK", output.Trim());
    }

    [Fact]
    public async Task Validate_EnvironmentVariableStyleKeys_CheckedLikeFileKeys()
    {
        var prefix = $"UNKNOWNKEYTEST{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            ["Delivery__Kafka__BootstrapServers"] = "127.0.0.1:9",
            ["Delivery__Destinations__orders__Type"] = "HttpBatch",
            ["Delivery__Destinations__orders__Enabled"] = "false", // the type's own checks read the host's configuration, not this one
            ["Delivery__Destinations__orders__SourceTopics__0"] = "orders",
            ["Delivery__Destinations__orders__Http__BaseAddress"] = "http://127.0.0.1:9",
            ["Delivery__Destinations__orders__Settings__Path"] = "/events",
            ["DELIVERY__DESTINATIONS__ORDERS__BATCH__MAXEVENT"] = "200",
            ["Delivery__Destinations__orders__Settings__Pth"] = "/x",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(prefix + name, value);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            await using var app = WorkerHost.Build(new WorkerHostSettings { UseEnvironmentVariables = false, LogOutput = TextWriter.Null });

            var problems = ConfigurationValidator.Validate(configuration, app.Services);

            Assert.True(problems.Count == 2, string.Join("\n", problems));
            Assert.Contains(problems, p => string.Equals(p, "Delivery:DESTINATIONS:ORDERS:BATCH:MAXEVENT: unknown key (did you mean MaxEvents?)", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(problems, p => string.Equals(p, "Delivery:Destinations:orders:Settings:Pth: unknown key (did you mean Path?)", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(prefix + name, null);
            }
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
