using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Delivery.Destinations.Webhook;

/// <summary>
/// The symmetric signature of Standard Webhooks 1.0 (standardwebhooks.com): <c>v1,</c> and the base64 HMAC-SHA256
/// of <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the base64-decoded part of a <c>whsec_</c> secret.
/// Several secrets (rotation) give several signatures, space-separated, in one <c>webhook-signature</c> header.
/// </summary>
internal static class StandardWebhooksSignature
{
    /// <summary>Header carrying the message id (the delivery-event-id, identical on retries).</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>Header carrying the attempt's time, in whole unix seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>Header carrying the signatures.</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>How a symmetric Standard Webhooks secret is written.</summary>
    public const string SecretPrefix = "whsec_";

    private const string Version = "v1,";

    /// <summary>The signature of one message under <paramref name="key"/> (the decoded secret).</summary>
    public static string Sign(ReadOnlySpan<byte> key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.")));
        hmac.AppendData(body);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.GetHashAndReset(mac);
        return Version + Convert.ToBase64String(mac);
    }

    /// <summary>The <c>webhook-signature</c> value: one signature per key, in key order, separated by one space.</summary>
    public static string Header(IReadOnlyList<byte[]> keys, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var header = new StringBuilder();
        foreach (var key in keys)
        {
            if (header.Length > 0)
            {
                header.Append(' ');
            }

            header.Append(Sign(key, id, timestamp, body));
        }

        return header.ToString();
    }

    /// <summary>
    /// Reads whitespace-separated <c>whsec_&lt;base64&gt;</c> secrets (the first is the current one; older ones follow
    /// during a rotation). False when there is none, or one is not of that form (the content is never echoed).
    /// </summary>
    public static bool TryParseSecrets(string content, out byte[][] keys)
    {
        ArgumentNullException.ThrowIfNull(content);
        var parts = content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        keys = new byte[parts.Length][];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (!part.StartsWith(SecretPrefix, StringComparison.Ordinal))
            {
                return Fail(out keys);
            }

            var encoded = part[SecretPrefix.Length..];
            var buffer = new byte[encoded.Length];
            if (!Convert.TryFromBase64String(encoded, buffer, out var length) || length == 0)
            {
                return Fail(out keys);
            }

            keys[i] = buffer[..length];
        }

        return parts.Length > 0 || Fail(out keys);
    }

    private static bool Fail(out byte[][] keys)
    {
        keys = [];
        return false;
    }
}
