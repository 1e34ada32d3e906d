using System.Text.Json;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Tests.Testing;
using Microsoft.AspNetCore.Http;

namespace Delivery.Destinations.Tests.Elasticsearch;

public sealed partial class ElasticsearchBulkHandlerTests
{
    private const string Type = "ElasticsearchBulk";

    private static (DestinationHost Host, Delivery.Core.IDestinationHandler Handler) Create(ScriptedServer server, string action = "index")
        => DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Settings:Index"] = "orders-v1",
            ["Settings:Action"] = action,
        });

    private static string[] Lines(RecordedRequest request) => request.BodyText.Split('\n');

    [Fact]
    public async Task SendBatchAsync_ErrorsFalse_AllSuccessWithNdjsonActionsAndIds()
    {
        await using var server = await ScriptedServer.StartAsync(200, """{"took":3,"errors":false,"items":[]}""");
        var (host, handler) = Create(server);
        using var hostScope = host;
        var batch = Events.Batch("dest", Events.Json("{\n  \"a\": 1\n}", "orders/0/1"), Events.Json("{\"b\":2}", "orders/0/2"));

        var response = await handler.SendBatchAsync(batch, CancellationToken.None);

        Assert.Equal(2, response.SuccessCount);
        var request = server.Requests.Single();
        Assert.Equal("/_bulk", request.Path);
        Assert.StartsWith("application/x-ndjson", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(
            [
                """{"index":{"_index":"orders-v1","_id":"orders/0/1"}}""",
                """{"a":1}""",
                """{"index":{"_index":"orders-v1","_id":"orders/0/2"}}""",
                """{"b":2}""",
                "",
            ],
            Lines(request));
    }

    [Fact]
    public async Task SendBatchAsync_Retry_SameIdForSameEventId()
    {
        await using var server = await ScriptedServer.StartAsync(200, """{"errors":false}""");
        var (host, handler) = Create(server, "create");
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{\"a\":1}", "evt-9", attempt: 1)), CancellationToken.None);
        await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{\"a\":1}", "evt-9", attempt: 2)), CancellationToken.None);

        var ids = server.Requests.Select(r => JsonDocument.Parse(Lines(r)[0]).RootElement.GetProperty("create").GetProperty("_id").GetString()!).ToArray();
        Assert.Equal(["evt-9", "evt-9"], ids);
    }

    [Fact]
    public async Task SendBatchAsync_ErrorsTrue_PerItemOutcomes()
    {
        const string body = """
            {"took":5,"errors":true,"items":[
              {"create":{"_index":"orders-v1","_id":"0","status":201,"result":"created"}},
              {"create":{"_index":"orders-v1","_id":"1","status":409,"error":{"type":"version_conflict_engine_exception","reason":"document already exists"}}},
              {"create":{"_index":"orders-v1","_id":"2","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}},
              {"create":{"_index":"orders-v1","_id":"3","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [zip]"}}},
              {"create":{"_index":"orders-v1","_id":"4","status":404,"error":{"type":"index_not_found_exception","reason":"no such index"}}},
              {"create":{"_index":"orders-v1","_id":"5","status":503,"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}}
            ]}
            """;
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, 200, body, new Dictionary<string, string> { ["Retry-After"] = "11" }));
        var (host, handler) = Create(server, "create");
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(6), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        ResponseAssert.Success(response, 1);
        var throttled = ResponseAssert.Error(response, 2, 429);
        Assert.Equal(TimeSpan.FromSeconds(11), throttled.RetryAfter);
        var mapping = ResponseAssert.Error(response, 3, 400, ErrorCodes.BadRequest);
        Assert.Equal("mapper_parsing_exception: failed to parse field [zip]", mapping.ErrorMessage);
        Assert.Equal("index_not_found_exception: no such index", ResponseAssert.Error(response, 4, 404).ErrorMessage);
        ResponseAssert.Error(response, 5, 503);
    }

    [Fact]
    public async Task SendBatchAsync_409OnIndexAction_IsAnError()
    {
        const string body = """{"errors":true,"items":[{"index":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"conflict"}}}]}""";
        await using var server = await ScriptedServer.StartAsync(200, body);
        var (host, handler) = Create(server, "index");
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        ResponseAssert.Error(response, 0, 409);
    }

    [Fact]
    public async Task SendBatchAsync_ItemsShorterThanBatch_MissingSlotUnset()
    {
        await using var server = await ScriptedServer.StartAsync(200, """{"errors":true,"items":[{"index":{"status":201}}]}""");
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        ResponseAssert.Unset(response, 1);
    }

    [Fact]
    public async Task SendBatchAsync_BodyNotJson_AllMalformed()
    {
        await using var server = await ScriptedServer.StartAsync((_, c) => c.Response.WriteAsync("<html>proxy</html>"));
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Error(response, 0, 500, ErrorCodes.MalformedResponse);
        ResponseAssert.Error(response, 1, 500, ErrorCodes.MalformedResponse);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task SendBatchAsync_WholeRequestDestinationLevel_ThrowsUnavailable(int status)
    {
        await using var server = await ScriptedServer.StartAsync(status, """{"error":{"type":"x","reason":"y"},"status":429}""");
        var (host, handler) = Create(server);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(2), CancellationToken.None).AsTask());

        Assert.Equal(status, ex.Status);
    }

    [Fact]
    public async Task SendBatchAsync_WholeRequest400_AllNonRetryableWithReason()
    {
        await using var server = await ScriptedServer.StartAsync(400, """{"error":{"type":"illegal_argument_exception","reason":"The bulk request must be terminated by a newline"},"status":400}""");
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.Contains("terminated by a newline", ResponseAssert.Error(response, 0, 400).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendBatchAsync_413_SplitsDownToSingleEvent()
    {
        await using var server = await ScriptedServer.StartAsync((request, c) =>
        {
            var actions = Lines(request).Length / 2;
            return actions > 1 || request.BodyText.Contains("big", StringComparison.Ordinal)
                ? ScriptedServer.Respond(c, 413)
                : ScriptedServer.Respond(c, 200, """{"errors":false}""");
        });
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{\"n\":0}"), Events.Json("{\"big\":1}"), Events.Json("{\"n\":2}")), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        ResponseAssert.Error(response, 1, 413, ErrorCodes.PayloadTooLarge);
        ResponseAssert.Success(response, 2);
    }

    [Fact]
    public async Task SendBatchAsync_NonObjectValue_PayloadValidationFailed()
    {
        await using var server = await ScriptedServer.StartAsync(200, """{"errors":false}""");
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("42"), Events.Json("{}")), CancellationToken.None);

        ResponseAssert.Error(response, 0, 400, ErrorCodes.PayloadValidationFailed);
        ResponseAssert.Success(response, 1);
        Assert.Equal(3, Lines(server.Requests.Single()).Length);
    }
}
