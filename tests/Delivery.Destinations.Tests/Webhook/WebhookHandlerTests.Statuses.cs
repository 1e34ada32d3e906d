using Delivery.Core.MultiStatus;
using Delivery.Destinations.Tests.Testing;

namespace Delivery.Destinations.Tests.Webhook;

/// <summary>Which answers make the whole batch a hold, and the messages (killing the first mutation run's survivors).</summary>
public sealed partial class WebhookHandlerTests
{
    [Theory]
    [InlineData(300)]
    [InlineData(302)]
    [InlineData(399)]
    [InlineData(401)]
    [InlineData(500)]
    public async Task SendBatchAsync_AllAnswerDestinationLevel_HoldWithThatStatus(int status)
    {
        await using var server = await ScriptedServer.StartAsync(status);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(2), CancellationToken.None).AsTask());

        Assert.Equal(status, ex.Status);
        Assert.Equal($"Destination 'dest': all 2 webhook requests failed (HTTP {status}).", ex.Message);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(499)]
    public async Task SendBatchAsync_AllAnswerEventLevel4xx_PerEventNotHeld(int status)
    {
        await using var server = await ScriptedServer.StartAsync(status);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Error(response, 0, status);
        ResponseAssert.Error(response, 1, status);
    }

    [Fact]
    public async Task SendBatchAsync_AllFailMixedStatuses_HoldWithoutStatusLongestRetryAfter()
    {
        await using var server = await ScriptedServer.StartAsync((request, c) => request.BodyText.Contains("\"n\":0", StringComparison.Ordinal)
            ? ScriptedServer.Respond(c, 503, null, new Dictionary<string, string> { ["Retry-After"] = "5" })
            : ScriptedServer.Respond(c, 429, null, new Dictionary<string, string> { ["Retry-After"] = "20" }));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(2), CancellationToken.None).AsTask());

        Assert.Null(ex.Status);
        Assert.Equal(TimeSpan.FromSeconds(20), ex.RetryAfter);
        Assert.Equal("Destination 'dest': all 2 webhook requests failed (HTTP 503).", ex.Message);
    }

    [Theory]
    [InlineData(500, "HTTP 500")]
    [InlineData(503, "HTTP 503")]
    [InlineData(499, "HTTP 499: detail")]
    [InlineData(404, "HTTP 404: detail")]
    public async Task SendBatchAsync_ErrorMessage_DetailOnlyFor4xx(int status, string message)
    {
        await using var server = await ScriptedServer.StartAsync((request, c) => request.BodyText.Contains("\"n\":0", StringComparison.Ordinal)
            ? ScriptedServer.Respond(c, 200)
            : ScriptedServer.Respond(c, status, "{\"message\":\"detail\"}"));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        Assert.Equal(message, ResponseAssert.Error(response, 1, status).ErrorMessage);
    }

    [Fact]
    public async Task SendBatchAsync_MaxParallelOne_OneRequestAtATime()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        await using var server = await ScriptedServer.StartAsync(async (_, c) =>
        {
            InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
            await Task.Delay(30, c.RequestAborted);
            Interlocked.Decrement(ref inFlight);
            await ScriptedServer.Respond(c, 200);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:MaxParallel"] = "1" });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(4), CancellationToken.None);

        Assert.Equal(4, response.SuccessCount);
        Assert.Equal(1, maxInFlight);
    }

    [Fact]
    public async Task SendBatchAsync_SecretFileUnreadable_HoldNamingTheKey()
    {
        var (host, handler) = DestinationHost.Create(Type, ScriptedServer.ClosedAddress(), new Dictionary<string, string?> { ["Settings:SignatureSecretFile"] = Path.Combine(_directory, "absent") });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal("Destination 'dest': the signature secret file (Settings:SignatureSecretFile) could not be read.", ex.Message);
        Assert.IsType<FileNotFoundException>(ex.InnerException);
    }

    [Fact]
    public async Task SendBatchAsync_AllInvalid_NothingSentNoSecretRead()
    {
        var (host, handler) = DestinationHost.Create(Type, ScriptedServer.ClosedAddress(), new Dictionary<string, string?>
        {
            ["Settings:RequireAnyOf:0"] = "$.email",
            ["Settings:SignatureSecretFile"] = Path.Combine(_directory, "absent"),
        });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        ResponseAssert.Error(response, 0, 400, ErrorCodes.PayloadValidationFailed);
        ResponseAssert.Error(response, 1, 400, ErrorCodes.PayloadValidationFailed);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(299)]
    public async Task SendBatchAsync_2xx_Success(int status)
    {
        await using var server = await ScriptedServer.StartAsync(status);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        ResponseAssert.Success(response, 0);
    }
}
