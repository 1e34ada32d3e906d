using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// An in-process Kestrel endpoint on 127.0.0.1 (port 0): <c>POST /events</c> with <c>{"events":[...]}</c>, answered
/// 207 with the MultiStatus body of the Segment docs (<c>itemsProcessed</c>, <c>success</c>, <c>error</c>,
/// <c>errorResponses</c>), every event accepted. Counts requests and events.
/// </summary>
internal sealed class MultiStatusEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;
    private long _events;
    private long _inFlight;
    private long _maxInFlight;

    private MultiStatusEndpoint(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public long Requests => Interlocked.Read(ref _requests);

    public long Events => Interlocked.Read(ref _events);

    /// <summary>Most requests in progress at once since the last <see cref="ResetMaxInFlight"/>.</summary>
    public long MaxInFlight => Interlocked.Read(ref _maxInFlight);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public void ResetMaxInFlight() => Interlocked.Exchange(ref _maxInFlight, 0);

    /// <summary>Simulated service time of the destination per request (zero: answer at once).</summary>
    public TimeSpan ServiceTime { get; set; }

    public static async Task<MultiStatusEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new MultiStatusEndpoint(app);
        app.MapPost("/events", endpoint.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return endpoint;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            long max;
            while (inFlight > (max = Interlocked.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
            {
            }

            await AnswerAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = new MemoryStream(context.Request.ContentLength is { } length ? (int)length : 128 * 1024);
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var count = CountEvents(body.GetBuffer().AsSpan(0, (int)body.Length));
        if (ServiceTime > TimeSpan.Zero)
        {
            await Task.Delay(ServiceTime, context.RequestAborted);
        }

        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _events, count);
        context.Response.StatusCode = 207;
        context.Response.ContentType = "application/json";
        var answer = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"itemsProcessed\":{count},\"success\":{count},\"error\":0,\"errorResponses\":[]}}"));
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    /// <summary>Elements of the top-level <c>events</c> array.</summary>
    private static int CountEvents(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("events"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    count++;
                    reader.Skip();
                }

                return count;
            }
        }

        return count;
    }
}
