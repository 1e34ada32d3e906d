using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Testing;

/// <summary>A real Kestrel server on 127.0.0.1 that answers every path as the current scenario scripts it.</summary>
internal sealed class ConformanceServer : IAsyncDisposable
{
    /// <summary>What the malformed-body scenario sends instead of the API's answer.</summary>
    internal const string GarbledBody = "<html><body>502 Bad Gateway</body></html> {\"errorResponses\":[{\"index\":";

    private readonly WebApplication _app;
    private readonly ConformanceOptions _options;
    private ScenarioState? _current;

    private ConformanceServer(WebApplication app, ConformanceOptions options)
    {
        _app = app;
        _options = options;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<ConformanceServer> StartAsync(ConformanceOptions options, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ConformanceServer(app, options);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Makes <paramref name="state"/> the scenario requests are answered for.</summary>
    public void Begin(ScenarioState state) => Volatile.Write(ref _current, state);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var state = Volatile.Read(ref _current);
        if (state is null)
        {
            context.Response.StatusCode = 500;
            return;
        }

        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ApiRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body);
        var items = state.Markers.Find(request.BodyText);
        var number = state.Arrived(items);
        var scenario = state.Scenario;
        switch (scenario.Mode)
        {
            case ServerMode.Answer:
                await AnswerAsync(context, state, request, items, number, rejectAll: false, ServerMode.Answer).ConfigureAwait(false);
                break;
            case ServerMode.Garbled or ServerMode.Truncated:
                await AnswerAsync(context, state, request, items, number, rejectAll: true, scenario.Mode).ConfigureAwait(false);
                break;
            case ServerMode.Status:
                Record(state, items, number, VerdictKind.Unconfirmed, _ => scenario.Status);
                await WholeRequestAsync(context, scenario).ConfigureAwait(false);
                break;
            case ServerMode.Reset:
                Record(state, items, number, VerdictKind.Unconfirmed, _ => null);
                context.Abort();
                break;
            default:
                // Hang / HoldForCancel: no answer until the client gives up or the scenario is over.
                Record(state, items, number, VerdictKind.Unconfirmed, _ => null);
                await HoldAsync(context, state).ConfigureAwait(false);
                break;
        }
    }

    private async Task AnswerAsync(HttpContext context, ScenarioState state, ApiRequest request, IReadOnlyList<int> items, int number, bool rejectAll, ServerMode mode)
    {
        var rejections = new List<ApiRejection>();
        for (var i = 0; i < items.Count; i++)
        {
            var status = rejectAll ? 400 : state.Scenario.Rejected.GetValueOrDefault(items[i]);
            if (status != 0)
            {
                rejections.Add(new ApiRejection(i, state.Markers.EventId(items[i]), status, status == 400 ? "Invalid zip code" : "Unprocessable event"));
            }
        }

        ApiAnswer answer;
        try
        {
            answer = _options.Answer(new ApiExchange(request, [.. items.Select(state.Markers.EventId)], rejections));
            ArgumentNullException.ThrowIfNull(answer, "Answer");
        }
#pragma warning disable CA1031 // The user's script failing is reported, not allowed to kill the server.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            state.ScriptFailed(ex);
            context.Response.StatusCode = 500;
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var rejection = rejections.Find(r => r.Index == i);
            state.Record(items[i], mode != ServerMode.Answer
                ? new EventVerdict(VerdictKind.Unconfirmed, null, number, i)
                : rejection is null
                    ? new EventVerdict(VerdictKind.Accepted, answer.Status, number, i)
                    : new EventVerdict(VerdictKind.Rejected, rejection.Status, number, i));
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        var bytes = mode == ServerMode.Garbled ? Encoding.UTF8.GetBytes(GarbledBody) : Encoding.UTF8.GetBytes(answer.Body ?? string.Empty);
        if (bytes.Length > 0 || mode == ServerMode.Truncated)
        {
            context.Response.ContentType = answer.ContentType;
        }

        if (mode == ServerMode.Truncated)
        {
            // Promise the whole body, send half of it, drop the connection.
            context.Response.ContentLength = Math.Max(bytes.Length, 64);
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static void Record(ScenarioState state, IReadOnlyList<int> items, int number, VerdictKind kind, Func<int, int?> status)
    {
        for (var i = 0; i < items.Count; i++)
        {
            state.Record(items[i], new EventVerdict(kind, status(items[i]), number, i));
        }
    }

    private static async Task WholeRequestAsync(HttpContext context, ConformanceScenario scenario)
    {
        context.Response.StatusCode = scenario.Status;
        if (scenario.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter(TimeProvider.System);
        }

        context.Response.ContentType = "application/problem+json";
        var problem = $"{{\"type\":\"about:blank\",\"title\":\"HTTP {scenario.Status}\",\"status\":{scenario.Status},\"detail\":\"conformance kit: the whole request is answered {scenario.Status}\"}}";
        await context.Response.WriteAsync(problem, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task HoldAsync(HttpContext context, ScenarioState state)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Released);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (either.Token.Register(() => held.TrySetResult()))
        {
            await held.Task.ConfigureAwait(false);
        }

        context.Abort();
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        if (string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            var gzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                await gzip.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return buffer.ToArray();
    }
}
