using System.Text.RegularExpressions;

namespace Delivery.Worker.Tests.Dashboards;

/// <summary>Just enough PromQL reading to list the metric names and grouping labels an expression uses.</summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless", "inf", "nan",
    };

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        // Grafana's label_values(metric, label) is not PromQL: its first argument is the series.
        if (LabelValues().Match(expression) is { Success: true } labelValues)
        {
            names.Add(labelValues.Groups[1].Value);
            return names;
        }

        var text = StringLiteral().Replace(expression, " ");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        foreach (Match m in Identifier().Matches(text))
        {
            var name = m.Groups["name"].Value;
            var isCall = m.Groups["call"].Success;
            if (isCall || Keywords.Contains(name) || name.StartsWith('$'))
            {
                continue;
            }

            names.Add(name);
        }

        return names;
    }

    public static IReadOnlySet<string> GroupingLabels(string expression)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Grouping().Matches(expression))
        {
            foreach (var label in m.Groups["labels"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                labels.Add(label);
            }
        }

        foreach (Match m in Matcher().Matches(expression))
        {
            labels.Add(m.Groups[1].Value);
        }

        return labels;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\((?<labels>[^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w$.])(?<name>\$?[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*""")]
    private static partial Regex Matcher();
}
