using System.Text.Json.Nodes;

namespace Delivery.Testing;

/// <summary>The scripted API's answer to one request.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The body text (null: no body).</param>
/// <param name="ContentType">The body's media type.</param>
public sealed record ApiAnswer(int Status, string? Body = null, string ContentType = "application/json")
{
    /// <summary>Extra response headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>An answer with a JSON body.</summary>
    public static ApiAnswer Json(int status, JsonNode? body) => new(status, body?.ToJsonString());

    /// <summary>An answer with no body.</summary>
    public static ApiAnswer Empty(int status) => new(status);
}
