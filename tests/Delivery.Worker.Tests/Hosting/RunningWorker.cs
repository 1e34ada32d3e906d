using System.Net;
using Delivery.Worker.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Delivery.Worker.Tests.Hosting;

/// <summary>A real worker host on 127.0.0.1 with an ephemeral port, and an HTTP client pointed at it.</summary>
internal sealed class RunningWorker : IAsyncDisposable
{
    private RunningWorker(WebApplication app, Uri address)
    {
        App = app;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Base configuration: no destinations, Kafka address set, no machine environment variables.</summary>
    public static Dictionary<string, string?> BaseConfiguration() => new()
    {
        ["Delivery:Kafka:BootstrapServers"] = "127.0.0.1:9",
        ["Delivery:Kafka:CreateTopics"] = "false",
    };

    public static async Task<RunningWorker> StartAsync(WorkerHostSettings settings)
    {
        var app = WorkerHost.Build(settings with
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        });
        await app.StartAsync();
        var address = WorkerHost.ListeningAddress(app) ?? throw new InvalidOperationException("the worker is not listening");
        return new RunningWorker(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
