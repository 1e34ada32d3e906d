using System.Globalization;
using System.Text.RegularExpressions;
using Delivery.Core;
using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Hosting;

/// <summary>
/// Validates the whole configuration before anything starts: binding (a value of the wrong type), the Core
/// options validator, and each enabled destination's type-specific settings through its keyed
/// <see cref="IDestinationHandlerFactory"/>. Every problem is one line that starts with the configuration key.
/// </summary>
internal static partial class ConfigurationValidator
{
    /// <summary>Returns every problem (empty when the configuration is valid).</summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(services);
        var problems = new List<string>();
        DeliveryOptions options;
        try
        {
            options = configuration.GetSection(DeliveryOptions.SectionName).Get<DeliveryOptions>() ?? new DeliveryOptions();
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(DescribeBindingFailure(configuration, ex));
            options = new DeliveryOptions();
        }

        // The binder silently drops a dictionary entry whose values do not convert, which would make a destination
        // vanish; bind each destination on its own so the failure names its key.
        foreach (var child in configuration.GetSection($"{DeliveryOptions.SectionName}:Destinations").GetChildren())
        {
            try
            {
                child.Get<DestinationOptions>();
            }
            catch (InvalidOperationException ex)
            {
                problems.Add(DescribeBindingFailure(configuration, ex));
            }

            // List elements that do not convert are dropped silently too (the defaults would then apply unseen).
            CheckElements(child.GetSection("Retry:Delays"), static v => TimeSpan.TryParse(v, CultureInfo.InvariantCulture, out _), "duration (hh:mm:ss)", problems);
            CheckElements(child.GetSection("Retry:RetryableStatusCodes"), static v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _), "integer", problems);
        }

        if (problems.Count > 0)
        {
            return problems.Distinct(StringComparer.Ordinal).ToArray();
        }

        var result = new DeliveryOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            problems.AddRange(result.Failures.SelectMany(static f => f.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }

        var registry = services.GetService<DestinationTypeRegistry>() ?? new DestinationTypeRegistry([]);
        foreach (var (name, destination) in options.Destinations.OrderBy(static d => d.Key, StringComparer.Ordinal))
        {
            if (!destination.Enabled || string.IsNullOrWhiteSpace(destination.Type))
            {
                continue; // a missing Type is the Core validator's line
            }

            var factory = services.GetKeyedService<IDestinationHandlerFactory>(destination.Type);
            if (factory is null)
            {
                var known = registry.Types.Count > 0 ? string.Join(", ", registry.Types) : "none registered";
                problems.Add($"{DeliveryOptions.SectionName}:Destinations:{name}:Type: unknown destination type '{destination.Type}' (known: {known})");
                continue;
            }

            problems.AddRange(factory.Validate(name));
        }

        return problems.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static void CheckElements(IConfigurationSection section, Func<string?, bool> valid, string expected, List<string> problems)
    {
        foreach (var element in section.GetChildren())
        {
            if (!valid(element.Value))
            {
                problems.Add($"{element.Path}: '{element.Value}' is not a valid {expected}");
            }
        }
    }

    private static string DescribeBindingFailure(IConfiguration configuration, InvalidOperationException ex)
    {
        var match = BindingPath().Match(ex.Message);
        if (!match.Success)
        {
            return $"{DeliveryOptions.SectionName}: cannot be read ({ex.Message})";
        }

        var key = match.Groups["key"].Value;
        var type = match.Groups["type"].Success ? FriendlyType(match.Groups["type"].Value) : "the expected type";
        var value = Logging.SecretMaskingEnricher.IsSensitive(key) ? Logging.SecretMaskingEnricher.Mask : configuration[key];
        return $"{key}: '{value}' is not a valid {type}";
    }

    private static string FriendlyType(string clrType) => clrType switch
    {
        "System.Int32" or "System.Int16" or "System.Int64" => "integer",
        "System.Boolean" => "boolean (true/false)",
        "System.TimeSpan" => "duration (hh:mm:ss)",
        "System.Double" => "number",
        "System.Uri" => "URI",
        _ => clrType,
    };

    [GeneratedRegex("at '(?<key>[^']+)'(?: to type '(?<type>[^']+)')?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BindingPath();
}
