namespace Delivery.Core.Options.Keys;

/// <summary>Finds the known key a misspelt one was probably meant to be (smallest case-insensitive edit distance).</summary>
internal static class KeySuggestion
{
    /// <summary>
    /// The closest of <paramref name="known"/> to <paramref name="key"/>, or null when none is close: at most one edit
    /// per three characters of the candidate (at least one, at most three), so <c>Pth</c> → <c>Path</c> and
    /// <c>MaxAtempts</c> → <c>MaxAttempts</c>, but <c>Foo</c> suggests nothing. Ties go to the first in ordinal order.
    /// </summary>
    public static string? Closest(string key, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(known);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known.Order(StringComparer.Ordinal))
        {
            var allowed = Math.Clamp(candidate.Length / 3, 1, 3);
            var distance = Distance(key, candidate);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance, ignoring case (insert, delete, substitute: one each).</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
