using Delivery.Core.MultiStatus;
using Delivery.Destinations.Http;
using Delivery.Destinations.Tests.Testing;
using Microsoft.Extensions.Http;

namespace Delivery.Destinations.Tests.Http;

public sealed class DestinationHttpClientOptionsSetupTests
{
    [Fact]
    public async Task SendAsync_Redirect_NotFollowedDestinationUnavailable()
    {
        await using var server = await ScriptedServer.StartAsync((request, c) => request.Path.StartsWith("/moved", StringComparison.Ordinal)
            ? ScriptedServer.Respond(c, 200)
            : ScriptedServer.Respond(c, 302, null, new Dictionary<string, string> { ["Location"] = "/moved" }));
        var (host, handler) = DestinationHost.Create("HttpBatch", server.BaseAddress);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal(302, ex.Status);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task SendAsync_SetCookie_NotSentBack()
    {
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, 200, null, new Dictionary<string, string> { ["Set-Cookie"] = "session=abc; Path=/" }));
        var (host, handler) = DestinationHost.Create("HttpBatch", server.BaseAddress);
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);
        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.All(server.Requests, r => Assert.Null(r.Header("Cookie")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("other")]
    [InlineData("delivery.destinations.orders")]
    public void Configure_NotADestinationClient_Untouched(string? name)
    {
        var options = new HttpClientFactoryOptions();

        new DestinationHttpClientOptionsSetup().Configure(name, options);

        Assert.Empty(options.HttpClientActions);
        Assert.Empty(options.HttpMessageHandlerBuilderActions);
    }

    [Fact]
    public void Configure_DefaultClient_Untouched()
    {
        var options = new HttpClientFactoryOptions();

        new DestinationHttpClientOptionsSetup().Configure(options);

        Assert.Empty(options.HttpClientActions);
    }

    [Fact]
    public void Configure_DestinationClient_NoClientTimeoutNoRedirectsNoCookies()
    {
        var options = new HttpClientFactoryOptions();
        new DestinationHttpClientOptionsSetup().Configure(DestinationHttpClient.ClientName("orders"), options);
        using var client = new HttpClient();

        Assert.Single(options.HttpClientActions).Invoke(client);

        // The per-request Http:Timeout is the only timeout (it covers reading the body, which HttpClient.Timeout would not).
        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
        Assert.Single(options.HttpMessageHandlerBuilderActions);
    }

    [Fact]
    public void Configure_NullOptions_Throws()
        => Assert.Throws<ArgumentNullException>(() => new DestinationHttpClientOptionsSetup().Configure("x", null!));
}
