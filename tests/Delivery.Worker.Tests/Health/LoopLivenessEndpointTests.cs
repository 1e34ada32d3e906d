using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Delivery.Worker.Health;
using Delivery.Worker.Hosting;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Tests.Health;

/// <summary>/healthz against a real loop thread that beats on every turn and then really blocks.</summary>
public sealed class LoopLivenessEndpointTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Healthz_LoopBlocksLongerThanTheBound_UnhealthyWhileReadinessIsUnchanged()
    {
        var time = new FakeTimeProvider();
        var liveness = new ConsumeLoopLiveness(time, Bound);
        var statuses = new FakeStatusSource();
        statuses.Set("orders", DestinationState.Running);
        await using var worker = await RunningWorker.StartAsync(new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            Overrides = RunningWorker.BaseConfiguration(),
            LogOutput = TextWriter.Null,
            ConfigureServices = services => services.AddSingleton<IPipelineStatusSource>(statuses).AddSingleton(liveness),
        });
        using var loop = new SteppedLoop(liveness.Register("orders"));

        await loop.TurnAsync();
        time.Advance(Bound);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(worker, "/healthz")).Code);

        await loop.BlockAsync(); // the loop thread is now inside a call that does not return
        time.Advance(TimeSpan.FromSeconds(31));

        var (code, body) = await GetAsync(worker, "/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("stalled", body.GetProperty("status").GetString());
        Assert.Equal("orders", Assert.Single(body.GetProperty("notReady").EnumerateArray()).GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(worker, "/readyz")).Code);

        await loop.UnblockAsync(); // it turns again
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(worker, "/healthz")).Code);
    }

    [Fact]
    public async Task Healthz_HeldLoopThatDoesNotTurn_StaysHealthy()
    {
        var time = new FakeTimeProvider();
        var liveness = new ConsumeLoopLiveness(time, Bound);
        await using var worker = await RunningWorker.StartAsync(new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            Overrides = RunningWorker.BaseConfiguration(),
            LogOutput = TextWriter.Null,
            ConfigureServices = services => services.AddSingleton(liveness),
        });
        using var heartbeat = liveness.Register("orders");

        heartbeat.Waiting(ConsumeLoopWait.Held);
        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(worker, "/healthz")).Code);
    }

    [Fact]
    public async Task AddDeliveryHealth_ConfiguredBound_UsedByTheRegisteredLiveness()
    {
        var configuration = RunningWorker.BaseConfiguration();
        configuration["Delivery:Health:LoopStallTimeout"] = "00:07:00";
        await using var app = WorkerHost.Build(new WorkerHostSettings { UseEnvironmentVariables = false, Overrides = configuration, LogOutput = TextWriter.Null });

        Assert.Equal(TimeSpan.FromMinutes(7), app.Services.GetRequiredService<ConsumeLoopLiveness>().StallTimeout);
    }

    [Theory]
    [InlineData("00:00:05", "Delivery:Health:LoopStallTimeout: must be between 00:00:10 and 01:00:00 (was 00:00:05)")]
    [InlineData("soon", "Delivery:Health:LoopStallTimeout: must be a duration such as 00:02:00 (hh:mm:ss)")]
    public async Task ValidateConfig_BadLoopStallTimeout_OneLineNamingTheKey(string value, string expected)
    {
        using var settings = new Cli.TempSettingsFile($$"""
            { "Delivery": { "Kafka": { "BootstrapServers": "127.0.0.1:9" }, "Health": { "LoopStallTimeout": "{{value}}" },
              "Destinations": { "orders": { "Type": "NoOp", "SourceTopics": [ "orders" ] } } } }
            """);

        var (code, _, error) = await Cli.CliRun.InvokeAsync("validate-config", "--config", settings.Path);

        Assert.Equal(1, code);
        Assert.Equal(expected, error.Trim());
    }

    private static async Task<(HttpStatusCode Code, JsonElement Body)> GetAsync(RunningWorker worker, string path)
    {
        using var response = await worker.Client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
