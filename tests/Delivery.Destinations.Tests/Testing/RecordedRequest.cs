using System.Text;
using System.Text.Json;

namespace Delivery.Destinations.Tests.Testing;

/// <summary>A request the scripted server received: headers and the body (gunzipped when it was gzip-encoded).</summary>
internal sealed record RecordedRequest(
    int Sequence,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    byte[] RawBody)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();
}
