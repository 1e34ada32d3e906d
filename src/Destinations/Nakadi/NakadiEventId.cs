using System.Security.Cryptography;
using System.Text;

namespace Delivery.Destinations.Nakadi;

/// <summary>
/// Derives Nakadi's <c>metadata.eid</c> from the <c>delivery-event-id</c>: a name-based UUID version 5 (RFC 9562:
/// SHA-1 of namespace + name), so every retry of an event carries the same eid.
/// </summary>
internal static class NakadiEventId
{
    /// <summary>The namespace of delivery-event-ids (a fixed, project-specific UUID; never change it).</summary>
    public static readonly Guid DeliveryNamespace = new("6f1c2a9e-3b7d-4d1e-9a55-0c8e2f4b7d31");

    /// <summary>The eid for <paramref name="eventId"/>.</summary>
    public static Guid From(string eventId) => NameBased(DeliveryNamespace, eventId);

    /// <summary>A version 5 UUID of <paramref name="name"/> in <paramref name="namespaceId"/>.</summary>
    public static Guid NameBased(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        if (!namespaceId.TryWriteBytes(input, bigEndian: true, out _))
        {
            throw new InvalidOperationException("Could not write the namespace UUID.");
        }

        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5 UUIDs; it is not used for security.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50);
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        return new Guid(uuid, bigEndian: true);
    }
}
