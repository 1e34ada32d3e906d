using System.Globalization;
using System.Text.Json;

namespace Delivery.Destinations.Validation;

/// <summary>
/// A minimal JSON path for pre-validation: <c>$</c> followed by <c>.name</c>, <c>['name']</c> or <c>[index]</c>
/// segments, e.g. <c>$.customer.email</c>, <c>$.phones[0]</c>, <c>$['first name']</c>. No wildcards or filters.
/// </summary>
internal sealed class JsonPath
{
    private readonly object[] _segments;

    private JsonPath(string text, object[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; false when it is not a path of the supported form.</summary>
    public static bool TryParse(string? text, out JsonPath? path)
    {
        path = null;
        if (string.IsNullOrWhiteSpace(text) || text[0] != '$')
        {
            return false;
        }

        var segments = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                if (i == start)
                {
                    return false;
                }

                segments.Add(text[start..i]);
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    return false;
                }

                var inner = text[(i + 1)..close];
                if (inner.Length >= 2 && inner[0] == '\'' && inner[^1] == '\'')
                {
                    if (inner.Length == 2)
                    {
                        return false;
                    }

                    segments.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(index);
                }
                else
                {
                    return false;
                }

                i = close + 1;
            }
            else
            {
                return false;
            }
        }

        if (segments.Count == 0)
        {
            return false;
        }

        path = new JsonPath(text, [.. segments]);
        return true;
    }

    /// <summary>
    /// True when the path leads to a value in <paramref name="root"/> that is present: not missing, not null and
    /// not an empty (or whitespace-only) string.
    /// </summary>
    public bool IsPresentIn(JsonElement root)
    {
        var current = root;
        foreach (var segment in _segments)
        {
            if (segment is string name)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    return false;
                }
            }
            else
            {
                var index = (int)segment;
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength())
                {
                    return false;
                }

                current = current[index];
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => false,
            JsonValueKind.String => !string.IsNullOrWhiteSpace(current.GetString()),
            _ => true,
        };
    }
}
