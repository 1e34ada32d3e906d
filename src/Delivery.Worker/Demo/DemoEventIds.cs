using System.Globalization;

namespace Delivery.Worker.Demo;

/// <summary>The ids of generated events (<c>demo-event-0000000042</c>, fixed width) and how to find them in a request body.</summary>
internal static class DemoEventIds
{
    private const string Prefix = "demo-event-";
    private const int Digits = 10;

    public static string Id(long n) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{n:D10}");

    /// <summary>The ids <paramref name="text"/> carries, in order of first appearance.</summary>
    public static IReadOnlyList<string> Find(string text)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var at = text.IndexOf(Prefix, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Prefix, at + Prefix.Length, StringComparison.Ordinal))
        {
            if (at + Prefix.Length + Digits <= text.Length
                && long.TryParse(text.AsSpan(at + Prefix.Length, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                var id = text.Substring(at, Prefix.Length + Digits);
                if (seen.Add(id))
                {
                    found.Add(id);
                }
            }
        }

        return found;
    }
}
