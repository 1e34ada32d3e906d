using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Options;
using Delivery.Core.Outcomes;
using Delivery.Core.Secrets;
using Delivery.Worker.Secrets;

namespace Delivery.Worker.Tests.Secrets;

public sealed class RedactingDestinationHandlerTests
{
    private const string Secret = "the-loaded-secret";
    private static readonly SecretRedactor Redactor = new([SecretSource.Literal("Delivery:Kafka:Client:sasl.password", Secret)], TimeProvider.System);

    [Fact]
    public async Task SendBatchAsync_ErrorMessageAndBodiesWithSecrets_Redacted()
    {
        var answer = new MultiStatusResponse();
        answer.PushSuccessResponse(new ActionDestinationSuccessResponse { Status = 200, Body = JsonNode.Parse($"{{\"ok\":\"{Secret}\"}}") });
        answer.PushErrorResponse(new ActionDestinationErrorResponse
        {
            Status = 400,
            ErrorMessage = $"bad: Authorization: Bearer abcdef123456 ({Secret})",
            Body = JsonNode.Parse($"{{\"echo\":\"{Secret}\"}}"),
            Sent = JsonNode.Parse($"{{\"sent\":\"{Secret}\"}}"),
            RetryAfter = TimeSpan.FromSeconds(3),
        });
        var handler = new RedactingDestinationHandler(new Answering(answer), Redactor);

        var response = await handler.SendBatchAsync(Batch(2), CancellationToken.None);

        var error = Assert.IsType<ActionDestinationErrorResponse>(response.GetResponseAtIndex(1));
        Assert.Equal("bad: Authorization: Bearer *** (***)", error.ErrorMessage);
        Assert.Equal("{\"echo\":\"***\"}", error.Body!.ToJsonString());
        Assert.Equal("{\"sent\":\"***\"}", error.Sent!.ToJsonString());
        Assert.Equal(400, error.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.IsType<ActionDestinationSuccessResponse>(response.GetResponseAtIndex(0));
    }

    [Fact]
    public async Task SendBatchAsync_UnavailableWithSecret_StillAHoldWithStatusAndRetryAfter()
    {
        var handler = new RedactingDestinationHandler(new Throwing(new DestinationUnavailableException($"401 for {Secret}", 401, TimeSpan.FromSeconds(7))), Redactor);

        var thrown = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Batch(1), CancellationToken.None).AsTask());

        Assert.Equal("401 for ***", thrown.Message);
        Assert.Equal(401, thrown.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), thrown.RetryAfter);
        Assert.True(OutcomeResolver.TryGetHold(thrown, out var hold, out var retryAfter));
        Assert.Equal(401, hold.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), retryAfter);
    }

    [Fact]
    public async Task SendBatchAsync_ChainWithSecrets_TypesKeptMessagesRedacted()
    {
        var inner = new HttpRequestException(HttpRequestError.ConnectionError, $"connect failed, proxy said Bearer abcdef123456", null, null);
        var handler = new RedactingDestinationHandler(new Throwing(new InvalidOperationException($"boom {Secret}", inner)), Redactor);

        var thrown = await Assert.ThrowsAsync<RedactedException>(() => handler.SendBatchAsync(Batch(1), CancellationToken.None).AsTask());

        Assert.Equal("InvalidOperationException: boom ***", thrown.Message);
        var http = Assert.IsType<HttpRequestException>(thrown.InnerException);
        Assert.Equal("connect failed, proxy said Bearer ***", http.Message);
        Assert.Equal(HttpRequestError.ConnectionError, http.HttpRequestError);
        Assert.True(OutcomeResolver.TryGetHold(thrown, out var hold, out _)); // still "unreachable" → hold
        Assert.Equal(503, hold.Status);
    }

    [Fact]
    public async Task SendBatchAsync_ExceptionWithoutSecret_PassesUnchanged()
    {
        var original = new HttpRequestException("plain", null, HttpStatusCode.BadGateway);
        var handler = new RedactingDestinationHandler(new Throwing(original), Redactor);

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => handler.SendBatchAsync(Batch(1), CancellationToken.None).AsTask());

        Assert.Same(original, thrown);
    }

    [Fact]
    public async Task DisposeAsync_InnerDisposable_Disposed()
    {
        var inner = new Answering(new MultiStatusResponse());
        var handler = new RedactingDestinationHandler(inner, Redactor);

        await handler.DisposeAsync();

        Assert.True(inner.Disposed);
    }

    [Fact]
    public void Factory_WrapsHandlersAndForwardsValidationAndSettingsType()
    {
        var factory = new RedactingDestinationHandlerFactory(new Factory(), Redactor);

        Assert.IsType<RedactingDestinationHandler>(factory.Create("orders", new DestinationOptions()));
        Assert.Equal(["Delivery:Destinations:orders:Settings:X: bad"], factory.Validate("orders", new DestinationOptions()));
        Assert.Equal(typeof(Factory), factory.SettingsType);
    }

    private static DeliveryBatch Batch(int count) => new("orders", [.. Enumerable.Range(0, count).Select(i => new DeliveryEvent
    {
        EventId = $"e{i}",
        Value = Encoding.UTF8.GetBytes("{}"),
        Attempt = 1,
        FirstAttemptAt = DateTimeOffset.UnixEpoch,
        Origin = new EventOrigin("orders", 0, i, DateTimeOffset.UnixEpoch),
    })]);

    private sealed class Answering(MultiStatusResponse response) : IDestinationHandler, IDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken) => ValueTask.FromResult(response);

        public void Dispose() => Disposed = true;
    }

    private sealed class Throwing(Exception exception) : IDestinationHandler
    {
        public ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken) => ValueTask.FromException<MultiStatusResponse>(exception);
    }

    private sealed class Factory : IDestinationHandlerFactory
    {
        public Type? SettingsType => typeof(Factory);

        public IReadOnlyList<string> Validate(string destination, DestinationOptions options) => [$"Delivery:Destinations:{destination}:Settings:X: bad"];

        public IDestinationHandler Create(string destination, DestinationOptions options) => new Answering(new MultiStatusResponse());
    }
}
