using Delivery.Core.MultiStatus;
using Delivery.Destinations.Tests.Testing;
using Microsoft.AspNetCore.Http;

namespace Delivery.Destinations.Tests.HttpBatch;

public sealed partial class HttpBatchHandlerTests
{
    private const string Type = "HttpBatch";

    [Fact]
    public async Task SendBatchAsync_200_AllSuccessAndValuesSentUnchanged()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:Path"] = "v1/batch" });
        using var hostScope = host;
        var batch = Events.Batch("dest", Events.Json("{\"b\": 1,  \"a\":\"x\"}"), Events.Json("[1,2]"), Events.Json("\"text\""));

        var response = await handler.SendBatchAsync(batch, CancellationToken.None);

        Assert.Equal(3, response.SuccessCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/batch", request.Path);
        Assert.Equal("{\"events\":[{\"b\": 1,  \"a\":\"x\"},[1,2],\"text\"]}", request.BodyText);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendBatchAsync_ConfiguredEventsField_UsesIt()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:EventsField"] = "batch" });
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        Assert.Equal(2, server.Requests.Single().Json().GetProperty("batch").GetArrayLength());
    }

    [Fact]
    public async Task SendBatchAsync_Partial207_ErrorsAtIndicesOthersSuccess()
    {
        const string body = """{"itemsProcessed":4,"success":2,"error":2,"errorResponses":[{"status":400,"message":"Invalid zip code","index":1},{"status":503,"message":"shard busy","index":3}]}""";
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, 207, body, new Dictionary<string, string> { ["Retry-After"] = "7" }));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(4), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        var invalid = ResponseAssert.Error(response, 1, 400, ErrorCodes.BadRequest);
        Assert.Equal("Invalid zip code", invalid.ErrorMessage);
        ResponseAssert.Success(response, 2);
        var busy = ResponseAssert.Error(response, 3, 503);
        Assert.Equal(TimeSpan.FromSeconds(7), busy.RetryAfter);
    }

    [Fact]
    public async Task SendBatchAsync_207KnownErrorType_KeepsIt()
    {
        const string body = """{"errorResponses":[{"status":400,"message":"bad","errortype":"PAYLOAD_VALIDATION_FAILED","index":0}]}""";
        await using var server = await ScriptedServer.StartAsync(207, body);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        ResponseAssert.Error(response, 0, 400, ErrorCodes.PayloadValidationFailed);
    }

    [Fact]
    public async Task SendBatchAsync_PreValidation_InvalidAtOriginalIndexAnd207IndicesRelativeToSentList()
    {
        // Sent list: [0, 2, 3]; the API's index 1 is original event 2.
        const string body = """{"itemsProcessed":3,"success":2,"error":1,"errorResponses":[{"status":422,"message":"rejected","index":1}]}""";
        await using var server = await ScriptedServer.StartAsync(207, body);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Settings:RequireAnyOf:0"] = "$.email",
            ["Settings:RequireAnyOf:1"] = "$.phone",
        });
        using var hostScope = host;
        var batch = Events.Batch(
            "dest",
            Events.Json("{\"email\":\"a@example.org\"}", offset: 0),
            Events.Json("{\"name\":\"nobody\",\"email\":\"\"}", offset: 1),
            Events.Json("{\"phone\":\"+49\"}", offset: 2),
            Events.Json("{\"email\":\"d@example.org\",\"phone\":null}", offset: 3),
            Events.Json("not json", offset: 4));

        var response = await handler.SendBatchAsync(batch, CancellationToken.None);

        ResponseAssert.Success(response, 0);
        var invalid = ResponseAssert.Error(response, 1, 400, ErrorCodes.PayloadValidationFailed);
        Assert.Contains("$.email", invalid.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("$.phone", invalid.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("rejected", ResponseAssert.Error(response, 2, 422).ErrorMessage);
        ResponseAssert.Success(response, 3);
        ResponseAssert.Error(response, 4, 400, ErrorCodes.PayloadValidationFailed);
        var sent = server.Requests.Single().Json().GetProperty("events");
        Assert.Equal(3, sent.GetArrayLength());
        Assert.Equal("+49", sent[1].GetProperty("phone").GetString());
    }

    [Fact]
    public async Task SendBatchAsync_NonJsonValue_NotSentAndNonRetryable()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{oops"), Events.Json("{\"ok\":true}")), CancellationToken.None);

        ResponseAssert.Error(response, 0, 400, ErrorCodes.PayloadValidationFailed);
        ResponseAssert.Success(response, 1);
        Assert.Equal("{\"events\":[{\"ok\":true}]}", server.Requests.Single().BodyText);
    }

    [Fact]
    public async Task SendBatchAsync_AllInvalid_SendsNothing()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("nope")), CancellationToken.None);

        ResponseAssert.Error(response, 0, 400, ErrorCodes.PayloadValidationFailed);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task SendBatchAsync_207RepeatedIndex_SlotLeftUnset()
    {
        const string body = """{"errorResponses":[{"status":400,"message":"a","index":1},{"status":500,"message":"b","index":1}]}""";
        await using var server = await ScriptedServer.StartAsync(207, body);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(3), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        ResponseAssert.Unset(response, 1);
        ResponseAssert.Success(response, 2);
    }

    [Fact]
    public async Task SendBatchAsync_207IndexOutOfRange_NamedErrorsKeptNothingAssumedDelivered()
    {
        const string body = """{"errorResponses":[{"status":400,"message":"a","index":0},{"status":400,"message":"b","index":3}]}""";
        await using var server = await ScriptedServer.StartAsync(207, body);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(3), CancellationToken.None);

        ResponseAssert.Error(response, 0, 400);
        ResponseAssert.Unset(response, 1);
        ResponseAssert.Unset(response, 2);
    }

    [Fact]
    public async Task SendBatchAsync_207SuccessStatusInErrorResponses_SlotLeftUnset()
    {
        const string body = """{"errorResponses":[{"status":200,"message":"fine?","index":0}]}""";
        await using var server = await ScriptedServer.StartAsync(207, body);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Unset(response, 0);
        ResponseAssert.Success(response, 1);
    }

    [Theory]
    [InlineData("<html>oops</html>")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"errorResponses\":\"none\"}")]
    public async Task SendBatchAsync_207NotTheMultiStatusShape_AllMalformedRetryable(string body)
    {
        await using var server = await ScriptedServer.StartAsync((_, c) =>
        {
            c.Response.StatusCode = 207;
            return c.Response.WriteAsync(body);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(3), CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            ResponseAssert.Error(response, i, 500, ErrorCodes.MalformedResponse);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendBatchAsync_207LargerThanMaxResponseBytes_AllMalformed(bool declareLength)
    {
        var errors = string.Join(",", Enumerable.Range(0, 2000).Select(_ => "{\"status\":400,\"message\":\"padding padding padding\",\"index\":0}"));
        var body = $"{{\"errorResponses\":[{errors}]}}";
        await using var server = await ScriptedServer.StartAsync(async (_, c) =>
        {
            c.Response.StatusCode = 207;
            if (declareLength)
            {
                c.Response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(body);
            }

            await c.Response.WriteAsync(body);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:MaxResponseBytes"] = "4096" });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        var error = ResponseAssert.Error(response, 0, 500, ErrorCodes.MalformedResponse);
        Assert.Contains("MaxResponseBytes", error.ErrorMessage, StringComparison.Ordinal);
        ResponseAssert.Error(response, 1, 500, ErrorCodes.MalformedResponse);
    }

    [Theory]
    [InlineData(400, ErrorCodes.BadRequest)]
    [InlineData(404, ErrorCodes.NotFound)]
    [InlineData(409, ErrorCodes.Conflict)]
    [InlineData(422, ErrorCodes.UnprocessableEntity)]
    public async Task SendBatchAsync_WholeRequest4xx_ThatStatusForEveryEvent(int status, string errorType)
    {
        await using var server = await ScriptedServer.StartAsync(status, """{"detail":"schema mismatch"}""");
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        var error = ResponseAssert.Error(response, 0, status, errorType);
        Assert.Equal($"HTTP {status}: schema mismatch", error.ErrorMessage);
        ResponseAssert.Error(response, 1, status, errorType);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task SendBatchAsync_WholeRequestDestinationLevelStatus_ThrowsUnavailable(int status)
    {
        await using var server = await ScriptedServer.StartAsync(status, """{"detail":"down"}""");
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(2), CancellationToken.None).AsTask());

        Assert.Equal(status, ex.Status);
    }

    [Fact]
    public async Task SendBatchAsync_413_SplitsInHalvesDownToTheOversizedEvent()
    {
        // The server takes at most 2 events per request and never the "huge" one.
        await using var server = await ScriptedServer.StartAsync((request, c) =>
        {
            var events = request.Json().GetProperty("events");
            var tooLarge = events.GetArrayLength() > 2 || events.EnumerateArray().Any(e => e.TryGetProperty("huge", out _));
            return ScriptedServer.Respond(c, tooLarge ? 413 : 200);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;
        var events = Enumerable.Range(0, 7).Select(i => Events.Json(i == 4 ? "{\"n\":4,\"huge\":true}" : $"{{\"n\":{i}}}", offset: i)).ToArray();

        var response = await handler.SendBatchAsync(Events.Batch("dest", events), CancellationToken.None);

        for (var i = 0; i < 7; i++)
        {
            if (i == 4)
            {
                ResponseAssert.Error(response, i, 413, ErrorCodes.PayloadTooLarge);
            }
            else
            {
                ResponseAssert.Success(response, i);
            }
        }

        var accepted = server.Requests
            .Where(r => r.Json().GetProperty("events").GetArrayLength() <= 2 && !r.BodyText.Contains("huge", StringComparison.Ordinal))
            .SelectMany(r => r.Json().GetProperty("events").EnumerateArray().Select(e => e.GetProperty("n").GetInt32()))
            .Order()
            .ToArray();
        Assert.Equal([0, 1, 2, 3, 5, 6], accepted);
        Assert.True(server.Requests.Count <= (2 * 7) - 1, $"{server.Requests.Count} requests");
    }

    [Fact]
    public async Task SendBatchAsync_413ForSingleEvent_NonRetryablePayloadTooLargeOnce()
    {
        await using var server = await ScriptedServer.StartAsync(413);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        ResponseAssert.Error(response, 0, 413, ErrorCodes.PayloadTooLarge);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task SendBatchAsync_EventIdField_SameIdsOnRetry()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:EventIdField"] = "messageId" });
        using var hostScope = host;
        DeliveryBatchFactory first = attempt => Events.Batch("dest", Events.Json("{\"a\":1}", "id-1", attempt), Events.Json("{\"a\":2,\"messageId\":\"old\"}", "id-2", attempt));

        await handler.SendBatchAsync(first(1), CancellationToken.None);
        await handler.SendBatchAsync(first(2), CancellationToken.None);

        var sent = server.Requests.Select(r => r.Json().GetProperty("events").EnumerateArray().Select(e => e.GetProperty("messageId").GetString()!).ToArray()).ToArray();
        Assert.Equal(["id-1", "id-2"], sent[0]);
        Assert.Equal(sent[0], sent[1]);
        Assert.Equal(1, server.Requests[0].Json().GetProperty("events")[0].GetProperty("a").GetInt32());
    }

    [Fact]
    public async Task SendBatchAsync_EventIdFieldAndNonObjectValue_PayloadValidationFailed()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:EventIdField"] = "messageId" });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("[1]")), CancellationToken.None);

        ResponseAssert.Error(response, 0, 400, ErrorCodes.PayloadValidationFailed);
        Assert.Empty(server.Requests);
    }

    private delegate Delivery.Core.Events.DeliveryBatch DeliveryBatchFactory(int attempt);
}
