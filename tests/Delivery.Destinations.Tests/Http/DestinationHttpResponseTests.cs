using System.Text;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Tests.Testing;
using Microsoft.AspNetCore.Http;

namespace Delivery.Destinations.Tests.Http;

/// <summary>The capped body read (Http:MaxResponseBytes) at its boundary, declared and streamed, through HttpBatch's 207.</summary>
public sealed class DestinationHttpResponseTests
{
    private const int Max = 1024;

    /// <summary>A valid 207 body of exactly <paramref name="bytes"/> bytes (trailing JSON whitespace as padding).</summary>
    private static string Body(int bytes)
    {
        const string json = "{\"errorResponses\":[]}";
        return json + new string(' ', bytes - json.Length);
    }

    private static async Task<MultiStatusResponse> SendAsync(int bodyBytes, bool declareLength)
    {
        var body = Body(bodyBytes);
        await using var server = await ScriptedServer.StartAsync(async (_, c) =>
        {
            c.Response.StatusCode = 207;
            if (declareLength)
            {
                c.Response.ContentLength = Encoding.UTF8.GetByteCount(body);
            }

            await c.Response.WriteAsync(body);
        });
        var (host, handler) = DestinationHost.Create("HttpBatch", server.BaseAddress, new Dictionary<string, string?> { ["Http:MaxResponseBytes"] = $"{Max}" });
        using var hostScope = host;
        return await handler.SendBatchAsync(Events.Batch(1), CancellationToken.None);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBodyAsync_ExactlyMaxResponseBytes_Read(bool declareLength)
    {
        var response = await SendAsync(Max, declareLength);

        ResponseAssert.Success(response, 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBodyAsync_OneByteOverMaxResponseBytes_TooLarge(bool declareLength)
    {
        var response = await SendAsync(Max + 1, declareLength);

        var error = ResponseAssert.Error(response, 0, 500, ErrorCodes.MalformedResponse);
        Assert.Equal($"The 207 answer is larger than Http:MaxResponseBytes ({Max}).", error.ErrorMessage);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBodyAsync_SmallBody_Read(bool declareLength)
    {
        var response = await SendAsync(40, declareLength);

        ResponseAssert.Success(response, 0);
    }
}
