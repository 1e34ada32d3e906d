using System.Text;

namespace Delivery.Testing;

/// <summary>A request the kit's server received from the handler under test.</summary>
public sealed class ApiRequest
{
    /// <summary>Creates a request (the kit's and the demo's servers do; so may a unit test of an Answer callback).</summary>
    public ApiRequest(string method, string pathAndQuery, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(headers);
        Method = method;
        PathAndQuery = pathAndQuery;
        Headers = headers;
        Body = body;
    }

    /// <summary>The HTTP method, e.g. <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>The path and query, e.g. <c>/v1/bulk?refresh=false</c>.</summary>
    public string PathAndQuery { get; }

    /// <summary>The request headers (case-insensitive names; repeated values joined with a comma).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body, byte for byte (gzip already undone when <c>Content-Encoding: gzip</c> was sent).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);
}
