using Delivery.Core.MultiStatus;
using Delivery.Destinations.Elasticsearch;
using Delivery.Destinations.Tests.Testing;

namespace Delivery.Destinations.Tests.Elasticsearch;

/// <summary>The _bulk answer item by item, its malformed shapes and the document id (killing the first mutation run's survivors).</summary>
public sealed partial class ElasticsearchBulkHandlerTests
{
    private static async Task<MultiStatusResponse> AnswerAsync(string json, int events = 2, IDictionary<string, string>? headers = null, int status = 200)
    {
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, status, json, headers));
        var (host, handler) = Create(server);
        using var hostScope = host;
        return await handler.SendBatchAsync(Events.Batch(events), CancellationToken.None);
    }

    [Fact]
    public void DocumentId_AtElasticsearchLimit_KeptOneByteMore_Hashed()
    {
        var limit = new string('a', 512);
        var over = new string('a', 513);

        Assert.Equal(limit, ElasticsearchBulkHandler.DocumentId(limit));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(over))), ElasticsearchBulkHandler.DocumentId(over));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(299)]
    public async Task SendBatchAsync_ItemStatus2xx_Success(int itemStatus)
    {
        var response = await AnswerAsync($$$"""{"errors":true,"items":[{"index":{"status":{{{itemStatus}}}}},{"index":{"status":400}}]}""");

        ResponseAssert.Success(response, 0);
        ResponseAssert.Error(response, 1, 400);
    }

    [Fact]
    public async Task SendBatchAsync_WholeRequest299_Bulk()
    {
        var response = await AnswerAsync("""{"errors":false,"items":[]}""", status: 299);

        Assert.Equal(2, response.SuccessCount);
    }

    [Theory]
    [InlineData("""[1,2]""", "The _bulk answer is not a JSON object.")]
    [InlineData("""{"errors":true}""", "The _bulk answer has errors but no items array.")]
    [InlineData("""{"errors":true,"items":{}}""", "The _bulk answer has errors but no items array.")]
    [InlineData("""not json""", "The _bulk answer is not valid JSON.")]
    public async Task SendBatchAsync_UnusableAnswer_AllMalformedWithReason(string json, string message)
    {
        var response = await AnswerAsync(json);

        Assert.Equal(message, ResponseAssert.Error(response, 0, 500, ErrorCodes.MalformedResponse).ErrorMessage);
        ResponseAssert.Error(response, 1, 500, ErrorCodes.MalformedResponse);
    }

    [Fact]
    public async Task SendBatchAsync_MoreItemsThanActions_ExtraIgnored()
    {
        var response = await AnswerAsync("""{"errors":true,"items":[{"index":{"status":201}},{"index":{"status":409}},{"index":{"status":500}}]}""");

        ResponseAssert.Success(response, 0);
        ResponseAssert.Error(response, 1, 409);
    }

    [Theory]
    [InlineData("""{"index":5}""")]
    [InlineData("""{}""")]
    [InlineData("""7""")]
    [InlineData("""{"index":{"status":"201"}}""")]
    public async Task SendBatchAsync_ItemWithoutStatus_SlotUnset(string item)
    {
        var response = await AnswerAsync($$$"""{"errors":true,"items":[{{{item}}},{"index":{"status":201}}]}""");

        ResponseAssert.Unset(response, 0);
        ResponseAssert.Success(response, 1);
    }

    [Fact]
    public async Task SendBatchAsync_ItemWithTwoResults_FirstCounts()
    {
        var response = await AnswerAsync("""{"errors":true,"items":[{"index":{"status":201},"other":{"status":500}},{"index":{"status":201}}]}""");

        ResponseAssert.Success(response, 0);
    }

    [Theory]
    [InlineData("""{"status":400}""", "HTTP 400")]
    [InlineData("""{"status":400,"error":"mapping failed"}""", "mapping failed")]
    [InlineData("""{"status":400,"error":{"type":5,"reason":7}}""", "HTTP 400")]
    [InlineData("""{"status":400,"error":{"type":"mapper_parsing_exception"}}""", "mapper_parsing_exception")]
    [InlineData("""{"status":400,"error":{"reason":"failed to parse"}}""", "failed to parse")]
    [InlineData("""{"status":400,"error":[1]}""", "HTTP 400")]
    public async Task SendBatchAsync_ItemError_MessageFromTypeAndReason(string result, string message)
    {
        var response = await AnswerAsync($$$"""{"errors":true,"items":[{"index":{{{result}}}},{"index":{"status":201}}]}""");

        Assert.Equal(message, ResponseAssert.Error(response, 0, 400).ErrorMessage);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(499, false)]
    public async Task SendBatchAsync_ItemRetryAfter_OnlyFor429And5xx(int itemStatus, bool carried)
    {
        var response = await AnswerAsync(
            $$$"""{"errors":true,"items":[{"index":{"status":{{{itemStatus}}}}},{"index":{"status":201}}]}""",
            headers: new Dictionary<string, string> { ["Retry-After"] = "30" });

        Assert.Equal(carried ? TimeSpan.FromSeconds(30) : null, ResponseAssert.Error(response, 0, itemStatus).RetryAfter);
    }

    [Fact]
    public async Task SendBatchAsync_AnswerOverMaxResponseBytes_MalformedNamingTheLimit()
    {
        var padding = new string(' ', 2000);
        await using var server = await ScriptedServer.StartAsync(200, "{\"errors\":false,\"items\":[]}" + padding);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Settings:Index"] = "orders-v1",
            ["Http:MaxResponseBytes"] = "1024",
        });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.Equal("The _bulk answer is larger than Http:MaxResponseBytes (1024).", ResponseAssert.Error(response, 0, 500, ErrorCodes.MalformedResponse).ErrorMessage);
    }
}
