using System.Diagnostics;
using System.Text.Json;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Nakadi;
using Delivery.Destinations.Tests.Testing;
using Microsoft.AspNetCore.Http;

namespace Delivery.Destinations.Tests.Nakadi;

public sealed partial class NakadiHandlerTests
{
    private const string Type = "Nakadi";

    private static (DestinationHost Host, Delivery.Core.IDestinationHandler Handler) Create(ScriptedServer server, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Settings:EventType"] = "order.created" };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return DestinationHost.Create(Type, server.BaseAddress, settings);
    }

    private static string Items(params string[] statuses)
        => JsonSerializer.Serialize(statuses.Select(s => s.Split(':') switch
        {
            [var status] => new Dictionary<string, string> { ["publishing_status"] = status, ["step"] = "none" },
            [var status, var step, var detail] => new Dictionary<string, string> { ["publishing_status"] = status, ["step"] = step, ["detail"] = detail },
            _ => throw new ArgumentException(s),
        }));

    private static int[] SentNumbers(RecordedRequest request) => [.. request.Json().EnumerateArray().Select(e => e.GetProperty("n").GetInt32())];

    [Fact]
    public async Task SendBatchAsync_200_AllSubmittedWithMetadataAndFlowId()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = Create(server);
        using var hostScope = host;
        var trace = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var batch = new DeliveryBatch("dest", [Events.Json("{\"n\":0}", "id-0"), Events.Json("{\"n\":1,\"metadata\":{\"occurred_at\":\"2020-01-01T00:00:00Z\",\"partition\":\"3\"}}", "id-1")], trace);

        var response = await handler.SendBatchAsync(batch, CancellationToken.None);

        Assert.Equal(2, response.SuccessCount);
        var request = server.Requests.Single();
        Assert.Equal("/event-types/order.created/events", request.Path);
        Assert.Equal(trace.TraceId.ToHexString(), request.Header("X-Flow-Id"));
        var events = request.Json();
        Assert.Equal(NakadiEventId.From("id-0").ToString(), events[0].GetProperty("metadata").GetProperty("eid").GetString());
        Assert.Equal("2026-03-04T05:06:07.890Z", events[0].GetProperty("metadata").GetProperty("occurred_at").GetString());
        Assert.Equal("2020-01-01T00:00:00Z", events[1].GetProperty("metadata").GetProperty("occurred_at").GetString());
        Assert.Equal("3", events[1].GetProperty("metadata").GetProperty("partition").GetString());
        Assert.Equal(NakadiEventId.From("id-1").ToString(), events[1].GetProperty("metadata").GetProperty("eid").GetString());
    }

    [Fact]
    public async Task SendBatchAsync_Retry_SameEidForSameEventId()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = Create(server);
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{\"n\":0}", "orders/0/17", attempt: 1), Events.Json("{\"n\":1}", "orders/0/18", attempt: 1)), CancellationToken.None);
        await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{\"n\":0}", "orders/0/17", attempt: 2)), CancellationToken.None);

        var first = server.Requests[0].Json();
        var retry = server.Requests[1].Json();
        var eid = first[0].GetProperty("metadata").GetProperty("eid").GetString();
        Assert.True(Guid.TryParse(eid, out _));
        Assert.Equal(eid, retry[0].GetProperty("metadata").GetProperty("eid").GetString());
        Assert.NotEqual(eid, first[1].GetProperty("metadata").GetProperty("eid").GetString());
    }

    [Fact]
    public async Task SendBatchAsync_207WithFailedAndAbortedItems_NeverTreatedAsSuccess()
    {
        var body = Items("submitted", "failed:publishing:timed out", "aborted", "submitted");
        await using var server = await ScriptedServer.StartAsync(207, body);
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(4), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        var failed = ResponseAssert.Error(response, 1, 500);
        Assert.Contains("timed out", failed.ErrorMessage, StringComparison.Ordinal);
        ResponseAssert.Error(response, 2, 500, ErrorCodes.RetryableError);
        ResponseAssert.Success(response, 3);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task SendBatchAsync_207AllAborted_AllRetryable()
    {
        await using var server = await ScriptedServer.StartAsync(207, Items("aborted", "aborted"));
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Error(response, 0, 500, ErrorCodes.RetryableError);
        ResponseAssert.Error(response, 1, 500, ErrorCodes.RetryableError);
    }

    [Fact]
    public async Task SendBatchAsync_207ShorterThanBatch_MissingSlotsUnset()
    {
        await using var server = await ScriptedServer.StartAsync(207, Items("submitted"));
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        ResponseAssert.Unset(response, 1);
    }

    [Fact]
    public async Task SendBatchAsync_207NotJson_AllMalformedRetryable()
    {
        await using var server = await ScriptedServer.StartAsync((_, c) =>
        {
            c.Response.StatusCode = 207;
            return c.Response.WriteAsync("partial failure");
        });
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Error(response, 0, 500, ErrorCodes.MalformedResponse);
        ResponseAssert.Error(response, 1, 500, ErrorCodes.MalformedResponse);
    }

    [Fact]
    public async Task SendBatchAsync_422Mixed_FailedNonRetryableAbortedResentAndInnocentSucceed()
    {
        // Nakadi stops at the first invalid event: it is "failed", every other event is "aborted".
        await using var server = await ScriptedServer.StartAsync((request, c) =>
        {
            var events = request.Json().EnumerateArray().ToArray();
            var invalid = Array.FindIndex(events, e => e.TryGetProperty("bad", out _));
            if (invalid < 0)
            {
                return ScriptedServer.Respond(c, 200);
            }

            var items = events.Select((_, i) => i == invalid ? "failed:validating:#/zip expected type string" : "aborted").ToArray();
            return ScriptedServer.Respond(c, 422, Items(items));
        });
        var (host, handler) = Create(server);
        using var hostScope = host;
        var batch = Events.Batch("dest", Events.Json("{\"n\":0}", offset: 0), Events.Json("{\"n\":1,\"bad\":1}", offset: 1), Events.Json("{\"n\":2}", offset: 2), Events.Json("{\"n\":3}", offset: 3));

        var response = await handler.SendBatchAsync(batch, CancellationToken.None);

        ResponseAssert.Success(response, 0);
        var invalid = ResponseAssert.Error(response, 1, 422, ErrorCodes.PayloadValidationFailed);
        Assert.Contains("expected type string", invalid.ErrorMessage, StringComparison.Ordinal);
        ResponseAssert.Success(response, 2);
        ResponseAssert.Success(response, 3);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal([0, 1, 2, 3], SentNumbers(server.Requests[0]));
        Assert.Equal([0, 2, 3], SentNumbers(server.Requests[1]));
    }

    [Fact]
    public async Task SendBatchAsync_422ResendRoundsExhausted_AbortedReportedRetryable()
    {
        // Every request fails its first event and aborts the rest.
        await using var server = await ScriptedServer.StartAsync((request, c) =>
        {
            var count = request.Json().GetArrayLength();
            return ScriptedServer.Respond(c, 422, Items([.. Enumerable.Range(0, count).Select(i => i == 0 ? "failed:validating:invalid" : "aborted")]));
        });
        var (host, handler) = Create(server, new() { ["Settings:MaxResendRounds"] = "1" });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(4), CancellationToken.None);

        ResponseAssert.Error(response, 0, 422, ErrorCodes.PayloadValidationFailed);
        ResponseAssert.Error(response, 1, 422, ErrorCodes.PayloadValidationFailed);
        ResponseAssert.Error(response, 2, 500, ErrorCodes.RetryableError);
        ResponseAssert.Error(response, 3, 500, ErrorCodes.RetryableError);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task SendBatchAsync_422Problem_AllNonRetryable422()
    {
        await using var server = await ScriptedServer.StartAsync(422, """{"title":"Unprocessable Entity","status":422,"detail":"partition key field missing"}""");
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        Assert.Contains("partition key field missing", ResponseAssert.Error(response, 0, 422).ErrorMessage, StringComparison.Ordinal);
        ResponseAssert.Error(response, 1, 422);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task SendBatchAsync_400_AllNonRetryable400()
    {
        await using var server = await ScriptedServer.StartAsync(400, """{"title":"Bad Request","detail":"JSON parse error"}""");
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        Assert.Contains("JSON parse error", ResponseAssert.Error(response, 0, 400, ErrorCodes.BadRequest).ErrorMessage, StringComparison.Ordinal);
        ResponseAssert.Error(response, 1, 400, ErrorCodes.BadRequest);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task SendBatchAsync_DestinationLevelStatus_ThrowsUnavailable(int status)
    {
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, status, """{"detail":"Application or event type is blocked"}""", new Dictionary<string, string> { ["Retry-After"] = "3" }));
        var (host, handler) = Create(server);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(2), CancellationToken.None).AsTask());

        Assert.Equal(status, ex.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
    }

    [Fact]
    public async Task SendBatchAsync_NotAnObjectOrBadMetadata_PayloadValidationFailedNotSent()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = Create(server);
        using var hostScope = host;
        var batch = Events.Batch("dest", Events.Json("[1]"), Events.Json("{\"n\":1,\"metadata\":\"x\"}"), Events.Json("{\"n\":2}"));

        var response = await handler.SendBatchAsync(batch, CancellationToken.None);

        ResponseAssert.Error(response, 0, 400, ErrorCodes.PayloadValidationFailed);
        ResponseAssert.Error(response, 1, 400, ErrorCodes.PayloadValidationFailed);
        ResponseAssert.Success(response, 2);
        Assert.Equal([2], SentNumbers(server.Requests.Single()));
    }

    [Fact]
    public async Task SendBatchAsync_413_SplitsDownToSingleEvent()
    {
        await using var server = await ScriptedServer.StartAsync((request, c) =>
            ScriptedServer.Respond(c, request.Json().GetArrayLength() > 1 || request.BodyText.Contains("big", StringComparison.Ordinal) ? 413 : 200));
        var (host, handler) = Create(server);
        using var hostScope = host;
        var batch = Events.Batch("dest", Events.Json("{\"n\":0}"), Events.Json("{\"n\":1,\"big\":true}"), Events.Json("{\"n\":2}"));

        var response = await handler.SendBatchAsync(batch, CancellationToken.None);

        ResponseAssert.Success(response, 0);
        ResponseAssert.Error(response, 1, 413, ErrorCodes.PayloadTooLarge);
        ResponseAssert.Success(response, 2);
    }
}
