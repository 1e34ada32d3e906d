using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Delivery.Core.Options;

/// <summary>
/// Binds and validates the <c>Delivery</c> section without starting anything: what <c>delivery-worker
/// validate-config</c> prints and what the chart tests assert on.
/// </summary>
public static partial class DeliveryConfiguration
{
    /// <summary>
    /// Every problem of the <c>Delivery</c> section of <paramref name="root"/>, one line each, each starting with the
    /// full configuration key: first values that cannot be read as their type (e.g. <c>abc</c> for a number), then
    /// the rules of <see cref="DeliveryOptionsValidator"/>. Empty when the configuration is valid.
    /// </summary>
    public static IReadOnlyList<string> Validate(IConfiguration root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var failures = new List<string>();
        var options = Bind(root, failures);
        failures.AddRange(DeliveryOptionsValidator.Check(options));
        return failures;
    }

    /// <summary>
    /// Binds the <c>Delivery</c> section. A value that cannot be converted is reported as one line and left out
    /// (so its default applies), and binding goes on, so every bad value is reported, not only the first.
    /// </summary>
    internal static DeliveryOptions Bind(IConfiguration root, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(failures);
        var values = root.GetSection(DeliveryOptions.SectionName).AsEnumerable()
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);

        // Each round either binds cleanly or removes one bad key, so this ends after at most Count + 1 rounds.
        for (var round = 0; round <= values.Count; round++)
        {
            var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(DeliveryOptions.SectionName);
            var options = new DeliveryOptions();
            try
            {
                section.Bind(options);
                return options;
            }
            catch (InvalidOperationException e)
            {
                var match = FailedConversion().Match(e.Message);
                if (!match.Success || !values.TryGetValue(match.Groups["key"].Value, out var value))
                {
                    failures.Add($"{DeliveryOptions.SectionName}: {e.Message}");
                    return new DeliveryOptions();
                }

                var key = match.Groups["key"].Value;
                var shown = DeliveryOptionsValidator.IsSecretKey(key) ? "(value hidden)" : $"(was '{value}')";
                failures.Add($"{key}: must be {Describe(match.Groups["type"].Value)} {shown}");
                values.Remove(key);
            }
        }

        return new DeliveryOptions();
    }

    private static string Describe(string type) => type switch
    {
        "System.Int32" or "System.Int16" or "System.Int64" => "a whole number",
        "System.Double" => "a number (use '.' as the decimal point)",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration such as 00:00:30 (hh:mm:ss) or 1.00:00:00 (d.hh:mm:ss)",
        "System.Uri" => "a URI",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex FailedConversion();
}
