using System.Text;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// A deterministic per-(event, attempt) coin: <c>hash(eventId, attempt) &lt; p</c>. Both retry modes see exactly the
/// same transient failures for the same event on the same attempt.
/// </summary>
internal static class FailureCoin
{
    public static bool Fails(string eventId, int attempt, double p)
    {
        // FNV-1a over the UTF-8 id and the attempt, then the splitmix64 finaliser; top 53 bits → [0, 1).
        var hash = 14695981039346656037UL;
        Span<byte> buffer = stackalloc byte[256];
        var length = Encoding.UTF8.GetBytes(eventId.AsSpan(0, Math.Min(eventId.Length, 64)), buffer);
        foreach (var b in buffer[..length])
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash = (hash ^ (ulong)attempt) * 1099511628211UL;
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53)) < p;
    }
}
