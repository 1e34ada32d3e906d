namespace Delivery.Destinations.Http;

/// <summary>
/// A response whose headers arrived. The body is read on demand under <c>Http.MaxResponseBytes</c>; the request's
/// timeout still runs while reading. Dispose to release the connection and the timeout.
/// </summary>
internal sealed class DestinationHttpResponse : IDisposable
{
    private const int ChunkSize = 16 * 1024;
    private readonly DestinationHttpClient _owner;
    private readonly HttpRequestMessage _request;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _callerToken;

    internal DestinationHttpResponse(
        DestinationHttpClient owner,
        HttpRequestMessage request,
        HttpResponseMessage response,
        CancellationTokenSource timeout,
        CancellationTokenSource linked,
        CancellationToken callerToken)
    {
        _owner = owner;
        _request = request;
        _response = response;
        _timeout = timeout;
        _linked = linked;
        _callerToken = callerToken;
        RetryAfter = RetryAfterParser.Parse(response.Headers.RetryAfter, owner.Time);
    }

    /// <summary>The HTTP status code.</summary>
    public int Status => (int)_response.StatusCode;

    /// <summary>The destination's Retry-After, when it sent a usable one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// Reads the body, streaming, and stops as soon as it exceeds <c>Http.MaxResponseBytes</c> (the result is then
    /// <see cref="ResponseBody.IsTooLarge"/>; the rest is never buffered).
    /// </summary>
    public async Task<ResponseBody> ReadBodyAsync()
    {
        var max = _owner.Options.MaxResponseBytes;
        if (_response.Content.Headers.ContentLength is { } declared && declared > max)
        {
            return new ResponseBody(null);
        }

        try
        {
            var stream = await _response.Content.ReadAsStreamAsync(_linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[ChunkSize];
                while (true)
                {
                    var read = await stream.ReadAsync(chunk, _linked.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return new ResponseBody(buffer.ToArray());
                    }

                    if (buffer.Length + read > max)
                    {
                        return new ResponseBody(null);
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            throw _owner.Translate(ex, _callerToken);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _response.Dispose();
        _request.Dispose();
        _linked.Dispose();
        _timeout.Dispose();
    }
}
