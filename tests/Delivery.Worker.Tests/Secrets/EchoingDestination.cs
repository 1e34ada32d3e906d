using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Delivery.Worker.Tests.Secrets;

/// <summary>
/// A real Kestrel HttpBatch destination on 127.0.0.1 that echoes the request's <c>Authorization</c> header (and the
/// bare token) in its error bodies, as some APIs do in debug or proxy errors. A batch with an event of kind
/// <c>whole</c> gets a whole-request 400; otherwise a 207 whose per-event errors are 400 (kind <c>reject</c>) or 503
/// (kind <c>retry</c>), plus an index-less entry (a contract violation the handler logs with the entry's text).
/// </summary>
internal sealed class EchoingDestination : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoingDestination(WebApplication app) => _app = app;

    public required Uri BaseAddress { get; init; }

    /// <summary>The Authorization header of every request received.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    public static async Task<EchoingDestination> StartAsync()
    {
        EchoingDestination? destination = null;
        var app = await LoopbackApi.StartAsync(context => destination!.AnswerAsync(context));
        destination = new EchoingDestination(app) { BaseAddress = LoopbackApi.Address(app) };
        return destination;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        Authorizations.Enqueue(authorization);
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization;
        using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        var kinds = document.RootElement.GetProperty("events").EnumerateArray().Select(static e => e.GetProperty("kind").GetString()).ToArray();
        if (kinds.Contains("whole"))
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["error"] = $"invalid request (debug: Authorization: {authorization})",
                ["echo"] = new JsonObject { ["authorization"] = authorization, ["token"] = token },
            }, context.RequestAborted);
            return;
        }

        var errors = new JsonArray();
        for (var i = 0; i < kinds.Length; i++)
        {
            errors.Add(new JsonObject
            {
                ["index"] = i,
                ["status"] = kinds[i] == "retry" ? 503 : 400,
                ["message"] = $"rejected for Authorization: {authorization} (token {token})",
            });
        }

        errors.Add(new JsonObject { ["message"] = $"proxy saw Authorization: {authorization}; raw {token}" }); // no index
        context.Response.StatusCode = 207;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["errorResponses"] = errors }, context.RequestAborted);
    }
}
