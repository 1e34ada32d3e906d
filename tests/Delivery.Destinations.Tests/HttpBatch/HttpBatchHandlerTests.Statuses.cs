using Delivery.Core.MultiStatus;
using Delivery.Destinations.Tests.Testing;

namespace Delivery.Destinations.Tests.HttpBatch;

/// <summary>Whole-request statuses at the edges of HttpBatch's table, and the default path.</summary>
public sealed partial class HttpBatchHandlerTests
{
    [Fact]
    public async Task SendBatchAsync_299_AllSuccess()
    {
        await using var server = await ScriptedServer.StartAsync(299);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        Assert.Equal(2, response.SuccessCount);
    }

    [Fact]
    public async Task SendBatchAsync_WholeRequest499_PerEventNotHeld()
    {
        await using var server = await ScriptedServer.StartAsync(499, "{\"message\":\"client closed\"}");
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        Assert.Equal("HTTP 499: client closed", ResponseAssert.Error(response, 0, 499).ErrorMessage);
        ResponseAssert.Error(response, 1, 499);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(500)]
    public async Task SendBatchAsync_WholeRequest3xxOr500_Unavailable(int status)
    {
        await using var server = await ScriptedServer.StartAsync(status);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal(status, ex.Status);
    }
}
