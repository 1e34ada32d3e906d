using System.Text.Json;

namespace Acme.Contacts;

/// <summary>One entry of a 207's <c>failed</c> list.</summary>
/// <param name="Position">The contact's position in the request (not in the batch).</param>
/// <param name="Status">Its status.</param>
/// <param name="Error">Acme's message.</param>
internal sealed record AcmeFailure(int Position, int Status, string Error)
{
    /// <summary>The <c>failed</c> list of a 207 body; null when the body is not of that form.</summary>
    public static List<AcmeFailure>? TryRead(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("failed", out var failed)
                || failed.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var list = new List<AcmeFailure>();
            foreach (var entry in failed.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object
                    || !entry.TryGetProperty("position", out var position) || !position.TryGetInt32(out var index)
                    || !entry.TryGetProperty("status", out var status) || !status.TryGetInt32(out var code))
                {
                    return null;
                }

                var error = entry.TryGetProperty("error", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString()! : $"HTTP {code}";
                list.Add(new AcmeFailure(index, code, error));
            }

            return list;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
