using System.Diagnostics;
using System.Globalization;
using System.Text;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Tests.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.AspNetCore.Http;

namespace Delivery.Destinations.Tests.Http;

/// <summary>The shared plumbing, exercised through the simplest handler type (HttpBatch).</summary>
public sealed class DestinationHttpClientTests : IDisposable
{
    private const string Type = "HttpBatch";
    private readonly string _directory = Directory.CreateTempSubdirectory("delivery-destinations-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task SendAsync_BearerTokenFileRewritten_ServerSeesNewToken()
    {
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, "first-token\n");
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:BearerTokenFile"] = tokenFile });
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);
        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);
        await File.WriteAllTextAsync(tokenFile, "second-token-rotated");
        File.SetLastWriteTimeUtc(tokenFile, File.GetLastWriteTimeUtc(tokenFile).AddSeconds(1));
        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.Equal(
            ["Bearer first-token", "Bearer first-token", "Bearer second-token-rotated"],
            server.Requests.Select(r => r.Header("Authorization")!).ToArray());
    }

    [Fact]
    public async Task SendAsync_BearerTokenFileUnchangedStamp_CachedValueUsed()
    {
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, "token-aaaa");
        var stamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(tokenFile, stamp);
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:BearerTokenFile"] = tokenFile });
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);
        await File.WriteAllTextAsync(tokenFile, "token-bbbb");
        File.SetLastWriteTimeUtc(tokenFile, stamp);
        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);
        File.SetLastWriteTimeUtc(tokenFile, stamp.AddMinutes(1));
        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.Equal(
            ["Bearer token-aaaa", "Bearer token-aaaa", "Bearer token-bbbb"],
            server.Requests.Select(r => r.Header("Authorization")!).ToArray());
    }

    [Fact]
    public async Task SendAsync_BearerTokenFileMissing_ThrowsUnavailableWithoutSending()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:BearerTokenFile"] = Path.Combine(_directory, "absent") });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Contains("BearerTokenFile", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task SendAsync_401_MessageDoesNotContainTheToken()
    {
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, "s3cr3t-t0ken");
        await using var server = await ScriptedServer.StartAsync((request, c) => ScriptedServer.Respond(c, 401, $"{{\"detail\":\"bad token {request.Header("Authorization")}\"}}"));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:BearerTokenFile"] = tokenFile });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal(401, ex.Status);
        Assert.DoesNotContain("s3cr3t", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_BearerTokenEnvironmentVariable_Sent()
    {
        var variable = $"DELIVERY_TEST_TOKEN_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "env-token");
        try
        {
            await using var server = await ScriptedServer.StartAsync(200);
            var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:BearerTokenEnvironmentVariable"] = variable });
            using var hostScope = host;

            await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

            Assert.Equal("Bearer env-token", server.Requests.Single().Header("Authorization"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task SendAsync_BasicAuth_UserAndPasswordFromFile()
    {
        var passwordFile = Path.Combine(_directory, "password");
        await File.WriteAllTextAsync(passwordFile, "pa:ss\n");
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Http:BasicAuthUser"] = "svc",
            ["Http:BasicAuthPasswordFile"] = passwordFile,
        });
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        var header = server.Requests.Single().Header("Authorization")!;
        Assert.StartsWith("Basic ", header, StringComparison.Ordinal);
        Assert.Equal("svc:pa:ss", Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])));
    }

    [Fact]
    public async Task SendAsync_GzipRequests_ServerDecompressesTheSameBody()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:GzipRequests"] = "true" });
        using var hostScope = host;
        var events = Enumerable.Range(0, 50).Select(i => Events.Json($"{{\"n\":{i},\"text\":\"{new string('x', 100)}\"}}", offset: i)).ToArray();

        await handler.SendBatchAsync(Events.Batch("dest", events), CancellationToken.None);

        var request = server.Requests.Single();
        Assert.Equal("gzip", request.Header("Content-Encoding"));
        Assert.True(request.RawBody.Length < request.Body.Length / 5, $"{request.RawBody.Length} compressed vs {request.Body.Length}");
        Assert.Equal(50, request.Json().GetProperty("events").GetArrayLength());
        Assert.Equal(49, request.Json().GetProperty("events")[49].GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task SendAsync_NoGzip_NoContentEncoding()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.Null(server.Requests.Single().Header("Content-Encoding"));
    }

    [Fact]
    public async Task SendAsync_SlowAnswerPastTimeout_ThrowsUnavailableWithInnerCancellation()
    {
        await using var server = await ScriptedServer.StartAsync(async (_, c) =>
        {
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:Timeout"] = "00:00:00.300" });
        using var hostScope = host;

        // The server never answers: only the 300 ms timeout can end the call (the deadline guards against a hang).
        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
        Assert.Contains("did not answer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SlowBodyPastTimeout_ThrowsUnavailable()
    {
        await using var server = await ScriptedServer.StartAsync(async (_, c) =>
        {
            c.Response.StatusCode = 207;
            await c.Response.WriteAsync("{\"errorResponses\":[");
            await c.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:Timeout"] = "00:00:00.300" });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_OperationCanceledNotUnavailable()
    {
        using var arrived = new SemaphoreSlim(0);
        await using var server = await ScriptedServer.StartAsync(async (_, c) =>
        {
            arrived.Release();
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;
        using var cts = new CancellationTokenSource();

        var send = handler.SendBatchAsync(Events.Batch(1), cts.Token).AsTask();
        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(5)));
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.IsNotType<DestinationUnavailableException>(ex);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_ThrowsUnavailableWithInnerHttpRequestException()
    {
        var (host, handler) = DestinationHost.Create(Type, ScriptedServer.ClosedAddress());
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(2), CancellationToken.None).AsTask());

        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Null(ex.Status);
    }

    [Fact]
    public async Task SendAsync_RetryAfterDeltaSeconds_OnException()
    {
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, 429, null, new Dictionary<string, string> { ["Retry-After"] = "42" }));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal(429, ex.Status);
        Assert.Equal(TimeSpan.FromSeconds(42), ex.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_RetryAfterHttpDate_MeasuredAgainstInjectedClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var date = time.GetUtcNow().AddSeconds(90).ToString("R", CultureInfo.InvariantCulture);
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, 503, null, new Dictionary<string, string> { ["Retry-After"] = date }));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, time: time);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal(TimeSpan.FromSeconds(90), ex.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_TraceContext_TraceparentHeaderSent()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        await handler.SendBatchAsync(new DeliveryBatch("dest", [Events.Json("{}")], context), CancellationToken.None);

        Assert.Equal($"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-01", server.Requests.Single().Header("traceparent"));
    }

    [Fact]
    public async Task SendAsync_NoTraceContext_NoTraceparentFromUs()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.Null(server.Requests.Single().Header("traceparent"));
    }

    [Fact]
    public async Task SendAsync_UnsampledTraceContextWithState_FlagsZeroAndTracestateSent()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, "vendor=abc");

        await handler.SendBatchAsync(new DeliveryBatch("dest", [Events.Json("{}")], context), CancellationToken.None);

        var request = server.Requests.Single();
        Assert.Equal($"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-00", request.Header("traceparent"));
        Assert.Equal("vendor=abc", request.Header("tracestate"));
    }

    [Fact]
    public async Task SendAsync_TraceIdWithoutSpanId_NoTraceparent()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), default, ActivityTraceFlags.Recorded);

        await handler.SendBatchAsync(new DeliveryBatch("dest", [Events.Json("{}")], context), CancellationToken.None);

        Assert.Null(server.Requests.Single().Header("traceparent"));
        Assert.Null(server.Requests.Single().Header("tracestate"));
    }

    [Fact]
    public async Task SendAsync_AlreadyCancelled_NothingSent()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handler.SendBatchAsync(Events.Batch(1), new CancellationToken(canceled: true)).AsTask());

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task SendAsync_BearerTokenEnvironmentVariableUnset_ThrowsUnavailableNamingTheKey()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:BearerTokenEnvironmentVariable"] = $"DELIVERY_TEST_UNSET_{Guid.NewGuid():N}" });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal("Destination 'dest': the environment variable named by Http:BearerTokenEnvironmentVariable is empty.", ex.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task SendAsync_BearerTokenFileEmpty_ThrowsUnavailableWithoutSending()
    {
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, "  \n");
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:BearerTokenFile"] = tokenFile });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal("Destination 'dest': the bearer token file (Http:BearerTokenFile) is empty.", ex.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task SendAsync_BasicAuthPasswordFileMissing_ThrowsUnavailableWithoutSending()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Http:BasicAuthUser"] = "svc",
            ["Http:BasicAuthPasswordFile"] = Path.Combine(_directory, "absent"),
        });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal("Destination 'dest': the basic auth password file (Http:BasicAuthPasswordFile) could not be read.", ex.Message);
        Assert.IsType<FileNotFoundException>(ex.InnerException);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_MessageSaysNotReached()
    {
        var (host, handler) = DestinationHost.Create(Type, ScriptedServer.ClosedAddress());
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.StartsWith("Destination 'dest' could not be reached (", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WholeRequest503_MessageNamesStatusNotBody()
    {
        await using var server = await ScriptedServer.StartAsync(503, "{\"message\":\"token=hunter2\"}");
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Equal("Destination 'dest' answered HTTP 503 for the whole request.", ex.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/api", null, "http://127.0.0.1:9/api")]
    [InlineData("http://127.0.0.1:9/api", "", "http://127.0.0.1:9/api")]
    [InlineData("http://127.0.0.1:9/api", "v1/batch", "http://127.0.0.1:9/api/v1/batch")]
    [InlineData("http://127.0.0.1:9/api/", "/v1/batch", "http://127.0.0.1:9/api/v1/batch")]
    public void Resolve_Path_OneSlashBetween(string baseAddress, string? path, string expected)
    {
        var http = new Delivery.Destinations.Http.DestinationHttpClient("dest", new Core.Options.DestinationHttpOptions { BaseAddress = new Uri(baseAddress) }, new NoClients(), TimeProvider.System);

        Assert.Equal(new Uri(expected), http.Resolve(path));
    }

    [Fact]
    public void Resolve_NoBaseAddress_ThrowsNamingTheKey()
    {
        var http = new Delivery.Destinations.Http.DestinationHttpClient("dest", new Core.Options.DestinationHttpOptions(), new NoClients(), TimeProvider.System);

        var ex = Assert.Throws<InvalidOperationException>(() => http.Resolve("x"));

        Assert.Equal("Destination 'dest' has no Http:BaseAddress.", ex.Message);
    }

    [Fact]
    public async Task New_And_SendAsync_Nulls_Throw()
    {
        var options = new Core.Options.DestinationHttpOptions { BaseAddress = new Uri("http://127.0.0.1:9/") };
        Assert.Throws<ArgumentNullException>(() => new Delivery.Destinations.Http.DestinationHttpClient(null!, options, new NoClients(), TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new Delivery.Destinations.Http.DestinationHttpClient("d", null!, new NoClients(), TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new Delivery.Destinations.Http.DestinationHttpClient("d", options, null!, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new Delivery.Destinations.Http.DestinationHttpClient("d", options, new NoClients(), null!));
        var http = new Delivery.Destinations.Http.DestinationHttpClient("d", options, new NoClients(), TimeProvider.System);
        await Assert.ThrowsAsync<ArgumentNullException>(() => http.SendAsync(null!, default, "application/json", default, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Delivery.Destinations.Http.HttpStatusMapping.SetRequestErrorForAllAsync(new MultiStatusResponse(), [], null!));
    }

    private sealed class NoClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new NotSupportedException();
    }
}
