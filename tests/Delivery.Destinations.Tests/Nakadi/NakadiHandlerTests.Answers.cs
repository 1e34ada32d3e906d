using System.Text.Json;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Nakadi;
using Delivery.Destinations.Tests.Testing;

namespace Delivery.Destinations.Tests.Nakadi;

/// <summary>Nakadi's answers in detail: item texts, odd shapes, resend rules, paths (killing the first mutation run's survivors).</summary>
public sealed partial class NakadiHandlerTests
{
    private static async Task<(MultiStatusResponse Response, IReadOnlyList<RecordedRequest> Requests)> AnswerAsync(
        int status, string? json, int events = 2, Dictionary<string, string?>? extra = null, IDictionary<string, string>? headers = null)
    {
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, status, json, headers));
        var (host, handler) = Create(server, extra);
        using var hostScope = host;
        var response = await handler.SendBatchAsync(Events.Batch(events), CancellationToken.None);
        return (response, server.Requests);
    }

    [Theory]
    [InlineData(201)]
    [InlineData(299)]
    public async Task SendBatchAsync_Other2xx_MalformedNeverSuccess(int status)
    {
        var (response, _) = await AnswerAsync(status, null);

        Assert.Equal($"Nakadi answered an unexpected HTTP {status}.", ResponseAssert.Error(response, 0, 500, ErrorCodes.MalformedResponse).ErrorMessage);
        ResponseAssert.Error(response, 1, 500, ErrorCodes.MalformedResponse);
    }

    [Fact]
    public async Task SendBatchAsync_207FailedItemWithoutStepOrDetail_NamedNoneAndNoDetail()
    {
        var (response, _) = await AnswerAsync(207, """[{"publishing_status":"failed"},{"publishing_status":"submitted"}]""");

        Assert.Equal("Nakadi failed to publish the event (step none): (no detail)", ResponseAssert.Error(response, 0, 500).ErrorMessage);
        ResponseAssert.Success(response, 1);
    }

    [Fact]
    public async Task SendBatchAsync_207Aborted_RetryableWithMessageAndRetryAfter()
    {
        var (response, _) = await AnswerAsync(207, """[{"publishing_status":"aborted"},{"publishing_status":"submitted"}]""", headers: new Dictionary<string, string> { ["Retry-After"] = "7" });

        var error = ResponseAssert.Error(response, 0, 500, ErrorCodes.RetryableError);
        Assert.Equal("Nakadi aborted the event (not attempted).", error.ErrorMessage);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Theory]
    [InlineData(207)]
    [InlineData(422)]
    public async Task SendBatchAsync_MoreItemsThanEvents_ExtraIgnored(int status)
    {
        var (response, _) = await AnswerAsync(status, """[{"publishing_status":"submitted"},{"publishing_status":"submitted"},{"publishing_status":"failed"}]""");

        ResponseAssert.Success(response, 0);
        ResponseAssert.Success(response, 1);
    }

    [Theory]
    [InlineData(207, """{"items":[]}""")]
    [InlineData(207, "not json")]
    [InlineData(422, "not json")]
    public async Task SendBatchAsync_NotAnArrayOfItems_AllMalformed(int status, string json)
    {
        var (response, _) = await AnswerAsync(status, json);

        Assert.Equal($"Nakadi's {status} answer is not a JSON array of item results.", ResponseAssert.Error(response, 0, 500, ErrorCodes.MalformedResponse).ErrorMessage);
    }

    [Fact]
    public async Task SendBatchAsync_207TooLarge_MessageNamesTheLimit()
    {
        var big = JsonSerializer.Serialize(Enumerable.Range(0, 200).Select(_ => new { publishing_status = "submitted", detail = new string('x', 40) }));
        var (response, _) = await AnswerAsync(207, big, extra: new() { ["Http:MaxResponseBytes"] = "1024" });

        Assert.Equal("Nakadi's 207 answer is larger than Http:MaxResponseBytes (1024).", ResponseAssert.Error(response, 0, 500, ErrorCodes.MalformedResponse).ErrorMessage);
    }

    [Fact]
    public async Task SendBatchAsync_422ProblemWithoutDetail_NoDetailText()
    {
        var (response, _) = await AnswerAsync(422, "{}");

        Assert.Equal("HTTP 422: (no detail)", ResponseAssert.Error(response, 0, 422).ErrorMessage);
    }

    [Fact]
    public async Task SendBatchAsync_422OnlyAborted_NotResentReportedRetryable()
    {
        // Nothing failed, so resending the aborted events would be refused the same way: they are reported at once.
        var (response, requests) = await AnswerAsync(422, """[{"publishing_status":"aborted"},{"publishing_status":"aborted"}]""");

        Assert.Single(requests);
        var error = ResponseAssert.Error(response, 0, 500, ErrorCodes.RetryableError);
        Assert.Equal("Nakadi aborted the event because another event was invalid; still aborted after 0 resend rounds.", error.ErrorMessage);
    }

    [Fact]
    public async Task SendBatchAsync_NoTraceContext_NoFlowId()
    {
        var (_, requests) = await AnswerAsync(200, null);

        Assert.Null(requests.Single().Header("X-Flow-Id"));
    }

    [Fact]
    public async Task SendBatchAsync_CustomPath_UsedInsteadOfEventTypePath()
    {
        var (_, requests) = await AnswerAsync(200, null, extra: new() { ["Settings:Path"] = "custom/publish" });

        Assert.Equal("/custom/publish", requests.Single().Path);
    }

    [Theory]
    [InlineData("{\"n\":0,\"metadata\":{\"eid\":\"\"}}")]
    [InlineData("{\"n\":0,\"metadata\":{\"eid\":\"  \"}}")]
    [InlineData("{\"n\":0,\"metadata\":{\"eid\":5}}")]
    public async Task SendBatchAsync_BlankOrNonTextEid_ReplacedByDerived(string json)
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = Create(server);
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch("dest", Events.Json(json, "id-7")), CancellationToken.None);

        Assert.Equal(NakadiEventId.From("id-7").ToString("D"), server.Requests.Single().Json()[0].GetProperty("metadata").GetProperty("eid").GetString());
    }

    [Fact]
    public async Task SendBatchAsync_MetadataNotAnObject_ValidationMessage()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = Create(server);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{\"metadata\":5}")), CancellationToken.None);

        Assert.Equal("The event's metadata must be a JSON object.", ResponseAssert.Error(response, 0, 400, ErrorCodes.PayloadValidationFailed).ErrorMessage);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10")]
    public void Validate_MaxResendRoundsAtBounds_NoProblem(string rounds)
    {
        using var host = new DestinationHost(new Dictionary<string, string?>
        {
            ["Delivery:Destinations:n:Http:BaseAddress"] = "http://127.0.0.1:9/",
            ["Delivery:Destinations:n:Settings:EventType"] = "e",
            ["Delivery:Destinations:n:Settings:MaxResendRounds"] = rounds,
        });

        Assert.Empty(host.Validate(Type, "n"));
    }

    [Fact]
    public void NakadiEventId_NullName_Throws() => Assert.Throws<ArgumentNullException>(() => NakadiEventId.From(null!));

    [Fact]
    public async Task SendBatchAsync_ExistingEid_Kept()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = Create(server);
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{\"metadata\":{\"eid\":\"5b1f1a3e-0000-4000-8000-000000000001\"}}", "id-7")), CancellationToken.None);

        Assert.Equal("5b1f1a3e-0000-4000-8000-000000000001", server.Requests.Single().Json()[0].GetProperty("metadata").GetProperty("eid").GetString());
    }

    [Fact]
    public async Task SendBatchAsync_422FailedItem_MessageNamesStepAndDetail()
    {
        var (response, _) = await AnswerAsync(422, """[{"publishing_status":"failed","step":"validating","detail":"#/zip expected string"},{"publishing_status":"submitted"}]""");

        Assert.Equal("Nakadi rejected the event (step validating): #/zip expected string", ResponseAssert.Error(response, 0, 422, ErrorCodes.PayloadValidationFailed).ErrorMessage);
    }

    [Fact]
    public async Task SendBatchAsync_422FewerItemsThanEvents_MissingSlotsUnset()
    {
        var (response, _) = await AnswerAsync(422, """[{"publishing_status":"failed","step":"validating","detail":"x"}]""");

        ResponseAssert.Error(response, 0, 422);
        ResponseAssert.Unset(response, 1);
    }
}
