using System.Text;

namespace Delivery.Worker.Telemetry;

/// <summary>
/// OpenTelemetry → Prometheus name conversion (the OpenTelemetry "Prometheus compatibility" rules): characters
/// outside <c>[a-zA-Z0-9_:]</c> become <c>_</c>, repeated underscores collapse, the unit is appended as a suffix
/// (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>; annotations like <c>{event}</c> are dropped) and
/// monotonic counters end in <c>_total</c>.
/// </summary>
internal static class PrometheusNaming
{
    /// <summary>The metric family name (without <c>_total</c>, <c>_bucket</c>, …).</summary>
    public static string MetricName(string instrumentName, string? unit)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name = $"{name}_{suffix}";
        }

        return name;
    }

    /// <summary>The sample name of a monotonic counter.</summary>
    public static string CounterName(string instrumentName, string? unit)
    {
        var name = MetricName(instrumentName, unit);
        return name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
    }

    /// <summary>A valid label name.</summary>
    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    /// <summary>Escapes a label value (backslash, double quote, newline).</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Escapes HELP text (backslash, newline).</summary>
    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return string.Empty;
        }

        // Drop curly-brace annotations: "{event}" means "a count of events", which Prometheus names do not carry.
        var text = new StringBuilder();
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                text.Append(c);
            }
        }

        var stripped = text.ToString().Trim();
        var slash = stripped.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var numerator = MapUnit(stripped[..slash].Trim());
            var denominator = stripped[(slash + 1)..].Trim() switch
            {
                "s" => "second",
                "m" or "min" => "minute",
                "h" => "hour",
                "d" => "day",
                "w" => "week",
                var other => other,
            };
            var rate = numerator.Length == 0 ? $"per_{denominator}" : $"{numerator}_per_{denominator}";
            return Sanitize(rate, allowColon: false).TrimStart('_');
        }

        var mapped = MapUnit(stripped);
        return mapped.Length == 0 ? string.Empty : Sanitize(mapped, allowColon: false).TrimStart('_');
    }

    private static string MapUnit(string unit) => unit switch
    {
        "" or "1" => string.Empty,
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "min" => "minutes",
        "h" => "hours",
        "d" => "days",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "%" => "percent",
        _ => unit,
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            builder.Append(next);
        }

        if (builder.Length > 0 && char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString().TrimEnd('_');
    }
}
