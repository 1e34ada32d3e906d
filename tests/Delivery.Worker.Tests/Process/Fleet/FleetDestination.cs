using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Tests.Process.Fleet;

/// <summary>
/// The HttpBatch API the fleet delivers to (Kestrel on 127.0.0.1): every replica posts to <c>/ingest/{replica}</c>,
/// so each receipt says which replica sent it. An event counts as received once its request body was read; the
/// answer (200) follows after <see cref="ServiceTime"/>, like a real API's processing time.
/// </summary>
internal sealed class FleetDestination : IAsyncDisposable
{
    public const string EventIdField = "deliveryEventId";

    private readonly WebApplication _app;
    private int _reading;

    private FleetDestination(WebApplication app, TimeSpan serviceTime)
    {
        _app = app;
        ServiceTime = serviceTime;
    }

    public TimeSpan ServiceTime { get; }

    public ConcurrentQueue<FleetReceipt> Receipts { get; } = new();

    /// <summary>Requests whose body is being read right now.</summary>
    public int Reading => Volatile.Read(ref _reading);

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");

    public static async Task<FleetDestination> StartAsync(TimeSpan serviceTime)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var destination = new FleetDestination(app, serviceTime);
        app.Run(destination.HandleAsync);
        await app.StartAsync();
        return destination;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var replica = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "?";
        Interlocked.Increment(ref _reading);
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            var at = Stopwatch.GetTimestamp();
            foreach (var element in document.RootElement.GetProperty("events").EnumerateArray())
            {
                Receipts.Enqueue(new FleetReceipt(element.GetProperty(EventIdField).GetString()!, replica, at));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException or JsonException)
        {
            return; // the replica died mid-request: nothing was received
        }
        finally
        {
            Interlocked.Decrement(ref _reading);
        }

        try
        {
            await Task.Delay(ServiceTime, context.RequestAborted);
            context.Response.StatusCode = 200;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
