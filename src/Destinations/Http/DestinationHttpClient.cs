using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Delivery.Core.MultiStatus;
using Delivery.Core.Options;

namespace Delivery.Destinations.Http;

/// <summary>
/// The HTTP plumbing every handler shares: one named <see cref="HttpClient"/> per destination, the address, auth
/// (bearer token from a file or an environment variable, or basic auth), gzip request bodies, W3C trace context,
/// the per-request timeout and the translation of connection failures and timeouts into
/// <see cref="DestinationUnavailableException"/>.
/// </summary>
internal sealed class DestinationHttpClient
{
    /// <summary>Prefix of the named HTTP clients (<c>Delivery.Destinations.{destination}</c>).</summary>
    internal const string ClientNamePrefix = "Delivery.Destinations.";

    private readonly IHttpClientFactory _clients;
    private readonly FileSecret? _tokenFile;
    private readonly FileSecret? _passwordFile;

    public DestinationHttpClient(string destination, DestinationHttpOptions options, IHttpClientFactory clients, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(time);
        Destination = destination;
        Options = options;
        Time = time;
        _clients = clients;
        _tokenFile = string.IsNullOrWhiteSpace(options.BearerTokenFile) ? null : new FileSecret(options.BearerTokenFile);
        _passwordFile = string.IsNullOrWhiteSpace(options.BasicAuthPasswordFile) ? null : new FileSecret(options.BasicAuthPasswordFile);
    }

    /// <summary>The destination name.</summary>
    public string Destination { get; }

    /// <summary>The destination's HTTP options.</summary>
    public DestinationHttpOptions Options { get; }

    /// <summary>The clock used for timeouts and Retry-After dates.</summary>
    public TimeProvider Time { get; }

    /// <summary>The name of the <see cref="HttpClient"/> used for <paramref name="destination"/>.</summary>
    public static string ClientName(string destination) => ClientNamePrefix + destination;

    /// <summary><c>Http.BaseAddress</c> joined with <paramref name="path"/> (one slash between them).</summary>
    public Uri Resolve(string? path)
    {
        var baseAddress = Options.BaseAddress ?? throw new InvalidOperationException($"Destination '{Destination}' has no Http:BaseAddress.");
        if (string.IsNullOrEmpty(path))
        {
            return baseAddress;
        }

        return new Uri(baseAddress.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/'), UriKind.Absolute);
    }

    /// <summary>
    /// Sends one request and returns once the response headers arrived. The per-request timeout
    /// (<c>Http.Timeout</c>) keeps running until the returned response is disposed, so it covers reading the body.
    /// Connection failures and timeouts throw <see cref="DestinationUnavailableException"/>; cancellation of
    /// <paramref name="cancellationToken"/> throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<DestinationHttpResponse> SendAsync(
        Uri uri,
        ReadOnlyMemory<byte> body,
        string contentType,
        ActivityContext traceContext,
        IReadOnlyList<KeyValuePair<string, string>>? headers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        cancellationToken.ThrowIfCancellationRequested();
        var request = new HttpRequestMessage(HttpMethod.Post, uri);
        var timeout = new CancellationTokenSource(Options.Timeout, Time);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            request.Content = CreateContent(body, contentType);
            ApplyAuthentication(request);
            ApplyTraceContext(request, traceContext);
            if (headers is not null)
            {
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            var client = _clients.CreateClient(ClientName(Destination));
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return new DestinationHttpResponse(this, request, response, timeout, linked, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            request.Dispose();
            linked.Dispose();
            timeout.Dispose();
            throw Translate(ex, cancellationToken);
        }
        catch
        {
            request.Dispose();
            linked.Dispose();
            timeout.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Turns a transport failure into the exception a handler throws: the caller's cancellation stays an
    /// <see cref="OperationCanceledException"/>, anything else becomes <see cref="DestinationUnavailableException"/>.
    /// </summary>
    internal Exception Translate(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return exception as OperationCanceledException ?? new OperationCanceledException(null, exception, cancellationToken);
        }

        return exception switch
        {
            DestinationUnavailableException unavailable => unavailable,
            OperationCanceledException => new DestinationUnavailableException(
                $"Destination '{Destination}' did not answer within {Options.Timeout}.", null, null, exception),
            HttpRequestException http => new DestinationUnavailableException(
                $"Destination '{Destination}' could not be reached ({http.HttpRequestError}).", null, null, exception),
            _ => new DestinationUnavailableException(
                $"Destination '{Destination}': the connection failed while reading the answer.", null, null, exception),
        };
    }

    private HttpContent CreateContent(ReadOnlyMemory<byte> body, string contentType)
    {
        HttpContent content;
        if (Options.GzipRequests)
        {
            content = new ByteArrayContent(Gzip(body.Span));
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ReadOnlyMemoryContent(body);
        }

        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static byte[] Gzip(ReadOnlySpan<byte> body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return buffer.ToArray();
    }

    private void ApplyAuthentication(HttpRequestMessage request)
    {
        string? token = null;
        if (_tokenFile is not null)
        {
            try
            {
                token = _tokenFile.Read();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DestinationUnavailableException(
                    $"Destination '{Destination}': the bearer token file (Http:BearerTokenFile) could not be read.", null, null, ex);
            }
        }
        else if (!string.IsNullOrWhiteSpace(Options.BearerTokenEnvironmentVariable))
        {
            token = Environment.GetEnvironmentVariable(Options.BearerTokenEnvironmentVariable)?.Trim();
            if (string.IsNullOrEmpty(token))
            {
                throw new DestinationUnavailableException(
                    $"Destination '{Destination}': the environment variable named by Http:BearerTokenEnvironmentVariable is empty.");
            }
        }

        if (token is not null)
        {
            if (token.Length == 0)
            {
                throw new DestinationUnavailableException($"Destination '{Destination}': the bearer token file (Http:BearerTokenFile) is empty.");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return;
        }

        if (!string.IsNullOrEmpty(Options.BasicAuthUser))
        {
            var password = string.Empty;
            if (_passwordFile is not null)
            {
                try
                {
                    password = _passwordFile.Read();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new DestinationUnavailableException(
                        $"Destination '{Destination}': the basic auth password file (Http:BasicAuthPasswordFile) could not be read.", null, null, ex);
                }
            }

            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.BasicAuthUser}:{password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
    }

    private static void ApplyTraceContext(HttpRequestMessage request, ActivityContext context)
    {
        if (context.TraceId == default || context.SpanId == default)
        {
            return;
        }

        var flags = (context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        request.Headers.Remove("traceparent");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{flags}");
        if (!string.IsNullOrEmpty(context.TraceState))
        {
            request.Headers.Remove("tracestate");
            request.Headers.TryAddWithoutValidation("tracestate", context.TraceState);
        }
    }
}
