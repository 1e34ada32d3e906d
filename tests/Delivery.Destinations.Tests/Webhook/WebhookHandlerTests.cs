using System.Security.Cryptography;
using System.Text;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Tests.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Delivery.Destinations.Tests.Webhook;

public sealed partial class WebhookHandlerTests : IDisposable
{
    private const string Type = "Webhook";
    private readonly string _directory = Directory.CreateTempSubdirectory("delivery-webhook-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task SendBatchAsync_OnePostPerEvent_EachStatusFillsItsSlot()
    {
        await using var server = await ScriptedServer.StartAsync((request, c) =>
        {
            var status = request.Json().GetProperty("answer").GetInt32();
            return ScriptedServer.Respond(c, status, status >= 400 ? "{\"message\":\"nope\"}" : null, status == 429 ? new Dictionary<string, string> { ["Retry-After"] = "5" } : null);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:Path"] = "hooks/orders" });
        using var hostScope = host;
        var batch = Events.Batch("dest", Events.Json("{\"answer\":200}", "e0"), Events.Json("{\"answer\":400}", "e1"), Events.Json("{\"answer\":202}", "e2"), Events.Json("{\"answer\":429}", "e3"), Events.Json("{\"answer\":413}", "e4"));

        var response = await handler.SendBatchAsync(batch, CancellationToken.None);

        ResponseAssert.Success(response, 0);
        Assert.Equal("HTTP 400: nope", ResponseAssert.Error(response, 1, 400).ErrorMessage);
        ResponseAssert.Success(response, 2);
        Assert.Equal(TimeSpan.FromSeconds(5), ResponseAssert.Error(response, 3, 429).RetryAfter);
        ResponseAssert.Error(response, 4, 413, ErrorCodes.PayloadTooLarge);
        Assert.Equal(5, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("/hooks/orders", r.Path));
        Assert.Equal(["e0", "e1", "e2", "e3", "e4"], server.Requests.Select(r => r.Header("X-Delivery-Event-Id")!).Order().ToArray());
        var e1 = server.Requests.Single(r => r.Header("X-Delivery-Event-Id") == "e1");
        Assert.Equal("{\"answer\":400}", e1.BodyText);
    }

    [Fact]
    public async Task SendBatchAsync_Signature_VerifiesAgainstSecretAndExactBody()
    {
        var secretFile = Path.Combine(_directory, "secret");
        await File.WriteAllTextAsync(secretFile, "hook-secret\n");
        await using var server = await ScriptedServer.StartAsync((request, c) =>
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("hook-secret"u8, request.Body));
            return ScriptedServer.Respond(c, request.Header("X-Signature") == expected ? 204 : 401);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Settings:SignatureSecretFile"] = secretFile,
            ["Http:GzipRequests"] = "true",
        });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{ \"spaced\" : true }"), Events.Json("{\"n\":1}")), CancellationToken.None);

        Assert.Equal(2, response.SuccessCount);
        Assert.All(server.Requests, r => Assert.Equal("gzip", r.Header("Content-Encoding")));
    }

    [Fact]
    public async Task SendBatchAsync_NoSecret_NoSignatureHeader()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.Null(server.Requests.Single().Header("X-Signature"));
    }

    [Fact]
    public async Task SendBatchAsync_MaxParallel_BoundsConcurrentRequests()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        var arrived = 0;
        var pairs = new TaskCompletionSource[3];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // Requests are held until their partner arrives: with MaxParallel 2 exactly two are ever in flight.
        await using var server = await ScriptedServer.StartAsync(async (_, c) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            var arrival = Interlocked.Increment(ref arrived);
            var pair = pairs[(arrival - 1) / 2];
            if (arrival % 2 == 0)
            {
                pair.TrySetResult();
            }

            await pair.Task.WaitAsync(TimeSpan.FromSeconds(10), c.RequestAborted);
            Interlocked.Decrement(ref inFlight);
            await ScriptedServer.Respond(c, 200);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:MaxParallel"] = "2" });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(6), CancellationToken.None);

        Assert.Equal(6, response.SuccessCount);
        Assert.Equal(2, maxInFlight);
    }

    [Fact]
    public async Task SendBatchAsync_AllConnectionsRefused_ThrowsUnavailable()
    {
        var (host, handler) = DestinationHost.Create(Type, ScriptedServer.ClosedAddress());
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(3), CancellationToken.None).AsTask());

        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public async Task SendBatchAsync_AllAnswer503_ThrowsUnavailableWithRetryAfter()
    {
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, 503, null, new Dictionary<string, string> { ["Retry-After"] = "9" }));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress);
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(2), CancellationToken.None).AsTask());

        Assert.Equal(503, ex.Status);
        Assert.Equal(TimeSpan.FromSeconds(9), ex.RetryAfter);
    }

    [Fact]
    public async Task SendBatchAsync_SomeSlowPastTimeout_OnlyThoseRetryable()
    {
        await using var server = await ScriptedServer.StartAsync(async (request, c) =>
        {
            if (request.BodyText.Contains("slow", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await ScriptedServer.Respond(c, 200);
        });
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Http:Timeout"] = "00:00:00.300" });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{\"n\":0}"), Events.Json("{\"slow\":1}")), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        ResponseAssert.Error(response, 1, 503, ErrorCodes.RetryableError);
    }

    [Fact]
    public async Task SendBatchAsync_PreValidation_InvalidNotSent()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:RequireAnyOf:0"] = "$.user.email" });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{\"user\":{}}"), Events.Json("{\"user\":{\"email\":\"x@y\"}}")), CancellationToken.None);

        ResponseAssert.Error(response, 0, 400, ErrorCodes.PayloadValidationFailed);
        ResponseAssert.Success(response, 1);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task SendBatchAsync_NonJsonValueWithoutPreValidation_SentByteForByte()
    {
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:ContentType"] = "text/plain" });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("plain text")), CancellationToken.None);

        ResponseAssert.Success(response, 0);
        Assert.Equal(Encoding.UTF8.GetBytes("plain text"), server.Requests.Single().Body);
        Assert.StartsWith("text/plain", server.Requests.Single().Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendBatchAsync_StandardWebhooksSecret_IdTimestampAndSignatureVerifyOnTheServer()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var secretFile = Path.Combine(_directory, "whsec");
        await File.WriteAllTextAsync(secretFile, SpecSecret + "\n");
        await using var server = await ScriptedServer.StartAsync((request, c) => ScriptedServer.Respond(c, StandardSignatureValid(request, SpecKey) ? 204 : 401));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:SignatureSecretFile"] = secretFile }, time);
        using var hostScope = host;

        var first = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{ \"spaced\" : true }", "orders.v1/3/17", attempt: 1)), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        var retry = await handler.SendBatchAsync(Events.Batch("dest", Events.Json("{ \"spaced\" : true }", "orders.v1/3/17", attempt: 2)), CancellationToken.None);

        ResponseAssert.Success(first, 0);
        ResponseAssert.Success(retry, 0);
        var requests = server.Requests;
        Assert.All(requests, r => Assert.Equal("orders.v1/3/17", r.Header("webhook-id")));
        Assert.Equal(["1777636800", "1777636830"], requests.Select(r => r.Header("webhook-timestamp")!).ToArray());
        Assert.All(requests, r => Assert.Null(r.Header("X-Signature")));
    }

    [Fact]
    public async Task SendBatchAsync_RotatedSecrets_OneSignaturePerSecretEachVerifies()
    {
        var newKey = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var secretFile = Path.Combine(_directory, "whsec");
        await File.WriteAllTextAsync(secretFile, $"whsec_{Convert.ToBase64String(newKey)}\n{SpecSecret}\n");
        await using var server = await ScriptedServer.StartAsync((request, c) =>
            ScriptedServer.Respond(c, StandardSignatureValid(request, newKey) && StandardSignatureValid(request, SpecKey) ? 200 : 401));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Settings:SignatureSecretFile"] = secretFile,
            ["Settings:SignatureScheme"] = "standardwebhooks",
        });
        using var hostScope = host;

        var response = await handler.SendBatchAsync(Events.Batch(2), CancellationToken.None);

        Assert.Equal(2, response.SuccessCount);
        Assert.All(server.Requests, r => Assert.Equal(2, r.Header("webhook-signature")!.Split(' ').Length));
    }

    [Fact]
    public async Task SendBatchAsync_SecretFileRewritten_NewSecretSignsWithoutRestart()
    {
        var newKey = Enumerable.Range(0, 40).Select(i => (byte)(255 - i)).ToArray();
        var secretFile = Path.Combine(_directory, "whsec");
        await File.WriteAllTextAsync(secretFile, SpecSecret);
        await using var server = await ScriptedServer.StartAsync((request, c) => ScriptedServer.Respond(c, StandardSignatureValid(request, newKey) ? 200 : 400));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:SignatureSecretFile"] = secretFile });
        using var hostScope = host;

        var before = await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);
        await File.WriteAllTextAsync(secretFile, $"whsec_{Convert.ToBase64String(newKey)}");
        var after = await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        ResponseAssert.Error(before, 0, 400);
        ResponseAssert.Success(after, 0);
    }

    [Fact]
    public async Task SendBatchAsync_SchemeXSignatureWithWhsecFile_WholeFileSignsXSignature()
    {
        var secretFile = Path.Combine(_directory, "secret");
        await File.WriteAllTextAsync(secretFile, SpecSecret);
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Settings:SignatureSecretFile"] = secretFile,
            ["Settings:SignatureScheme"] = "XSignature",
        });
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        var request = server.Requests.Single();
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SpecSecret), request.Body)), request.Header("X-Signature"));
        Assert.Null(request.Header("webhook-signature"));
        Assert.Equal("orders/0/0", request.Header("webhook-id"));
    }

    [Fact]
    public async Task SendBatchAsync_AutoWithRawSecret_XSignatureAndNoWebhookSignature()
    {
        var secretFile = Path.Combine(_directory, "secret");
        await File.WriteAllTextAsync(secretFile, "hook-secret");
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:SignatureSecretFile"] = secretFile });
        using var hostScope = host;

        await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.NotNull(server.Requests.Single().Header("X-Signature"));
        Assert.Null(server.Requests.Single().Header("webhook-signature"));
    }

    [Fact]
    public async Task SendBatchAsync_SchemeStandardWithRawSecret_HoldsWithoutSendingOrEchoingTheSecret()
    {
        var secretFile = Path.Combine(_directory, "secret");
        await File.WriteAllTextAsync(secretFile, "raw-hook-secret");
        await using var server = await ScriptedServer.StartAsync(200);
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Settings:SignatureSecretFile"] = secretFile,
            ["Settings:SignatureScheme"] = "StandardWebhooks",
        });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationUnavailableException>(() => handler.SendBatchAsync(Events.Batch(1), CancellationToken.None).AsTask());

        Assert.Contains("Settings:SignatureSecretFile", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("raw-hook-secret", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task SendBatchAsync_410Gone_ThrowsGoneNamingTheEndpointAndStopsSending()
    {
        await using var server = await ScriptedServer.StartAsync((_, c) => ScriptedServer.Respond(c, 410, null, new Dictionary<string, string> { ["Retry-After"] = "120" }));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?>
        {
            ["Settings:Path"] = "hooks/token-abc123",
            ["Settings:MaxParallel"] = "1",
        });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationGoneException>(() => handler.SendBatchAsync(Events.Batch(5), CancellationToken.None).AsTask());

        Assert.IsAssignableFrom<DestinationUnavailableException>(ex);
        Assert.Equal(410, ex.Status);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Equal(server.BaseAddress.GetLeftPart(UriPartial.Authority), ex.Endpoint);
        Assert.Contains(ex.Endpoint, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token-abc123", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task SendBatchAsync_410AfterADelivery_StillGoneNotPerEvent()
    {
        await using var server = await ScriptedServer.StartAsync((request, c) => ScriptedServer.Respond(c, request.Sequence == 1 ? 200 : 410));
        var (host, handler) = DestinationHost.Create(Type, server.BaseAddress, new Dictionary<string, string?> { ["Settings:MaxParallel"] = "1" });
        using var hostScope = host;

        var ex = await Assert.ThrowsAsync<DestinationGoneException>(() => handler.SendBatchAsync(Events.Batch(4), CancellationToken.None).AsTask());

        Assert.Null(ex.RetryAfter);
        Assert.Equal(2, server.Requests.Count);
    }

    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static readonly byte[] SpecKey = Convert.FromBase64String("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    /// <summary>The receiver's check, written from the specification: one of the v1 signatures is the HMAC of "id.timestamp.body".</summary>
    private static bool StandardSignatureValid(RecordedRequest request, byte[] key)
    {
        var signed = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return (request.Header("webhook-signature") ?? string.Empty).Split(' ').Contains(expected);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
