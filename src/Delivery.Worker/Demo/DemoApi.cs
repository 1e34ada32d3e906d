using System.Net;
using System.Text;
using System.Text.Json;
using Delivery.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Demo;

/// <summary>
/// An in-process HTTP batch API on 127.0.0.1 that answers like the APIs in Segment's MultiStatus documentation:
/// <c>200</c> when every event is accepted, else <c>207</c> with
/// <c>{"itemsProcessed":n,"success":s,"error":e,"errorResponses":[{"status":429,"message":"…","index":i}]}</c>.
/// Each event fails on its own with the configured probabilities (429/503 retryable, 400 not). It counts the
/// distinct event ids it accepted (the worker sends <c>eventId</c> in every element). Every
/// <see cref="DemoOptions.OutageEvery"/> it is down for <see cref="DemoOptions.OutageFor"/> (503 to every request,
/// at the end of each period), so the worker holds. For a custom destination type (<see cref="DemoOptions.Demo"/>) it
/// answers every path with the type's <see cref="DestinationDemo.Answer"/>, finding the events by their generated ids.
/// </summary>
internal sealed class DemoApi : IAsyncDisposable
{
    /// <summary>The path events are posted to.</summary>
    public const string Path = "events";

    private readonly WebApplication _app;
    private readonly DemoOptions _options;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _accepted = new(StringComparer.Ordinal);
    private long _requests;
    private long _failed;

    private readonly TimeProvider _time;
    private readonly long _started;
    private long _outageRequests;

    private DemoApi(WebApplication app, DemoOptions options, TimeProvider time)
    {
        _app = app;
        _options = options;
        _time = time;
        _started = time.GetTimestamp();
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>The base address.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Distinct event ids accepted.</summary>
    public long Accepted
    {
        get
        {
            lock (_gate)
            {
                return _accepted.Count;
            }
        }
    }

    /// <summary>Requests answered.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests answered 503 as a whole (outages).</summary>
    public long OutageRequests => Interlocked.Read(ref _outageRequests);

    /// <summary>True while the API is down (an outage window).</summary>
    public bool Down => _options.OutageEvery is { } every && every > TimeSpan.Zero
        && _time.GetElapsedTime(_started).Ticks % every.Ticks is var into && into >= (every - _options.OutageFor).Ticks;

    /// <summary>Per-event failures answered.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Starts the API on an ephemeral loopback port.</summary>
    public static async Task<DemoApi> StartAsync(DemoOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new DemoApi(app, options, time);
        if (options.Demo is null)
        {
            app.MapPost("/" + Path, api.HandleAsync);
        }
        else
        {
            app.Run(api.HandleCustomAsync); // a custom type's API: every path, answered by its DestinationDemo.Answer
        }
        await app.StartAsync(cancellationToken);
        api.BaseAddress = new Uri(app.Urls.First() + "/");
        return api;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (Down)
        {
            // The whole API is down: the worker must hold (pause, back off), not retry or dead-letter events.
            Interlocked.Increment(ref _outageRequests);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return;
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        if (!body.RootElement.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { message = "body must be {\"events\": [...]}" }, context.RequestAborted);
            return;
        }

        var errors = new List<object>();
        var index = 0;
        foreach (var item in events.EnumerateArray())
        {
            var (status, message) = Verdict();
            if (status == 0)
            {
                var id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("eventId", out var e) ? e.GetString() : null;
                lock (_gate)
                {
                    _accepted.Add(id ?? $"anonymous-{_accepted.Count}");
                }
            }
            else
            {
                errors.Add(new { status, message, index });
            }

            index++;
        }

        Interlocked.Add(ref _failed, errors.Count);
        var processed = index;
        if (errors.Count == 0)
        {
            await context.Response.WriteAsJsonAsync(new { itemsProcessed = processed, success = processed, error = 0 }, context.RequestAborted);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status207MultiStatus;
        await context.Response.WriteAsJsonAsync(
            new { itemsProcessed = processed, success = processed - errors.Count, error = errors.Count, errorResponses = errors },
            context.RequestAborted);
    }

    /// <summary>A custom type's request: the same per-event verdicts and outages, answered in the type's own format.</summary>
    private async Task HandleCustomAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (Down)
        {
            Interlocked.Increment(ref _outageRequests);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var items = DemoEventIds.Find(Encoding.UTF8.GetString(body));
        var rejections = new List<ApiRejection>();
        for (var i = 0; i < items.Count; i++)
        {
            var (status, message) = Verdict();
            if (status != 0)
            {
                rejections.Add(new ApiRejection(i, items[i], status, message));
                continue;
            }

            lock (_gate)
            {
                _accepted.Add(items[i]);
            }
        }

        Interlocked.Add(ref _failed, rejections.Count);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ApiRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body);
        var answer = _options.Demo!.Answer(new ApiExchange(request, items, rejections));
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is { } text)
        {
            context.Response.ContentType = answer.ContentType;
            await context.Response.WriteAsync(text, context.RequestAborted);
        }
    }

    private (int Status, string Message) Verdict()
    {
        double roll;
        bool tooMany;
        lock (_gate)
        {
            roll = _random.NextDouble();
            tooMany = _random.Next(2) == 0;
        }

        if (roll < _options.BadRequestRate)
        {
            return (400, "Invalid zip code");
        }

        if (roll < _options.BadRequestRate + _options.RetryableFailureRate)
        {
            return tooMany ? (429, "Rate limit exceeded for this event") : (503, "Shard temporarily unavailable");
        }

        return (0, string.Empty);
    }
}
