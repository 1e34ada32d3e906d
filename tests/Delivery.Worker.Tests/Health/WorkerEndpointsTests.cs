using System.Net;
using System.Text.Json;
using Delivery.Worker.Hosting;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Tests.Health;

public sealed class WorkerEndpointsTests
{
    [Fact]
    public async Task Readyz_DestinationStateChanges_FollowsTheState()
    {
        var statuses = new FakeStatusSource();
        statuses.Set("orders", DestinationState.Starting);
        statuses.Set("audit", DestinationState.Running);
        await using var worker = await StartAsync(statuses);

        var (code, body) = await GetAsync(worker, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal(["orders"], Strings(body, "notReady"));

        statuses.Set("orders", DestinationState.Running);
        (code, body) = await GetAsync(worker, "/readyz");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("ok", body.GetProperty("status").GetString());

        statuses.Set("orders", DestinationState.Held, "destination unavailable: 503");
        (code, body) = await GetAsync(worker, "/readyz");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("held", body.GetProperty("status").GetString());
        Assert.Equal(["orders"], Strings(body, "held"));

        statuses.Set("audit", DestinationState.Faulted, "fatal Kafka error");
        (code, body) = await GetAsync(worker, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal(["audit"], Strings(body, "notReady"));
        Assert.Equal(["orders"], Strings(body, "held"));
    }

    [Fact]
    public async Task Healthz_PipelineFaults_TurnsUnhealthy()
    {
        var statuses = new FakeStatusSource();
        statuses.Set("orders", DestinationState.Running);
        await using var worker = await StartAsync(statuses);

        var (code, body) = await GetAsync(worker, "/healthz");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("ok", body.GetProperty("status").GetString());

        statuses.Set("orders", DestinationState.Held);
        (code, _) = await GetAsync(worker, "/healthz");
        Assert.Equal(HttpStatusCode.OK, code);

        statuses.Set("orders", DestinationState.Starting);
        (code, _) = await GetAsync(worker, "/healthz");
        Assert.Equal(HttpStatusCode.OK, code);

        statuses.Set("orders", DestinationState.Faulted, "fatal");
        (code, body) = await GetAsync(worker, "/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("faulted", body.GetProperty("status").GetString());
        var destination = Assert.Single(body.GetProperty("destinations").EnumerateArray());
        Assert.Equal("Faulted", destination.GetProperty("state").GetString());
        Assert.Equal("fatal", destination.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Readyz_StoppedDestination_IsNotReady()
    {
        var statuses = new FakeStatusSource();
        statuses.Set("orders", DestinationState.Stopped);
        await using var worker = await StartAsync(statuses);

        var (code, body) = await GetAsync(worker, "/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal(["orders"], Strings(body, "notReady"));
    }

    private static Task<RunningWorker> StartAsync(FakeStatusSource statuses) =>
        RunningWorker.StartAsync(new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            Overrides = RunningWorker.BaseConfiguration(),
            LogOutput = TextWriter.Null,
            ConfigureServices = services => services.AddSingleton<IPipelineStatusSource>(statuses),
        });

    private static async Task<(HttpStatusCode Code, JsonElement Body)> GetAsync(RunningWorker worker, string path)
    {
        using var response = await worker.Client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string[] Strings(JsonElement body, string property) =>
        [.. body.GetProperty(property).EnumerateArray().Select(static e => e.GetString()!)];
}
