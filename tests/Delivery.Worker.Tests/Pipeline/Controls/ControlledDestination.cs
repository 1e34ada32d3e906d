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

namespace Delivery.Worker.Tests.Pipeline.Controls;

/// <summary>
/// A real Kestrel HttpBatch destination on 127.0.0.1 that takes <see cref="Delay"/> per request, answers 429 while
/// more than <see cref="MaxConcurrent"/> requests are open, and otherwise 200 (every event accepted). It records each
/// accepted event's id with the Stopwatch timestamp of its request's arrival.
/// </summary>
internal sealed class ControlledDestination : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _open;
    private int _requests;
    private int _rejected;

    private ControlledDestination(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public TimeSpan Delay { get; init; }

    public int MaxConcurrent { get; init; } = int.MaxValue;

    /// <summary>Accepted events: id and arrival (Stopwatch timestamp).</summary>
    public ConcurrentQueue<(string Id, long At)> Received { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    public int Rejected => Volatile.Read(ref _rejected);

    public static async Task<ControlledDestination> StartAsync(TimeSpan delay = default, int maxConcurrent = int.MaxValue)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var destination = new ControlledDestination(app) { Delay = delay, MaxConcurrent = maxConcurrent };
        app.Run(destination.AnswerAsync);
        await app.StartAsync();
        destination.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        return destination;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var at = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _requests);
        var open = Interlocked.Increment(ref _open);
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted); // the destination's own work, not synchronisation
            }

            if (open > MaxConcurrent)
            {
                Interlocked.Increment(ref _rejected);
                context.Response.StatusCode = 429;
                return;
            }

            foreach (var element in document.RootElement.GetProperty("events").EnumerateArray())
            {
                Received.Enqueue((element.GetProperty("id").GetString()!, at));
            }

            context.Response.StatusCode = 200;
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
