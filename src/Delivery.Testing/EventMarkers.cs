using System.Globalization;

namespace Delivery.Testing;

/// <summary>
/// The <c>delivery-event-id</c>s of one scenario's events (<c>ck{run}s{scenario}e{index}</c>, fixed width), and how
/// to find them in a request: in order of first appearance, each event once.
/// </summary>
internal sealed class EventMarkers
{
    private const int IndexDigits = 3;
    private readonly string _prefix;

    public EventMarkers(string run, int scenario)
    {
        _prefix = string.Create(CultureInfo.InvariantCulture, $"ck{run}s{scenario:D2}e");
    }

    public string EventId(int index) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}{index:D3}");

    /// <summary>Batch indices of the events <paramref name="text"/> carries, in order of first appearance.</summary>
    public IReadOnlyList<int> Find(string text)
    {
        var found = new List<int>();
        var seen = new HashSet<int>();
        var at = text.IndexOf(_prefix, StringComparison.Ordinal);
        while (at >= 0)
        {
            var digits = at + _prefix.Length;
            if (digits + IndexDigits <= text.Length
                && int.TryParse(text.AsSpan(digits, IndexDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && seen.Add(index))
            {
                found.Add(index);
            }

            at = text.IndexOf(_prefix, digits, StringComparison.Ordinal);
        }

        return found;
    }
}
