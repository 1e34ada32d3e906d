using System.Buffers;

namespace Delivery.Destinations.Http;

/// <summary>Request bodies built from the items' payloads, without re-serializing them.</summary>
internal static class RequestBody
{
    /// <summary><paramref name="prefix"/>, the payloads separated by commas, then <paramref name="suffix"/>.</summary>
    public static ReadOnlyMemory<byte> JsonArray(ReadOnlySpan<byte> prefix, IReadOnlyList<OutgoingItem> items, ReadOnlySpan<byte> suffix)
    {
        ArgumentNullException.ThrowIfNull(items);
        var size = prefix.Length + suffix.Length;
        foreach (var item in items)
        {
            size += item.Payload.Length + 1;
        }

        var body = new ArrayBufferWriter<byte>(size);
        body.Write(prefix);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                body.Write(","u8);
            }

            body.Write(items[i].Payload.Span);
        }

        body.Write(suffix);
        return body.WrittenMemory;
    }
}
