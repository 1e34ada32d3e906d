using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Delivery.Core.Options;

/// <summary>
/// Binds and validates the <c>Delivery</c> section without starting anything: what <c>delivery-worker
/// validate-config</c> prints and what the chart tests assert on.
/// </summary>
/// <remarks>
/// The configuration binder drops a dictionary entry or list element whose value cannot be converted without a
/// word (a destination with <c>MaxEvents: abc</c> would silently disappear, a bad retry delay would silently fall
/// back to the defaults). So every value is first checked against the type of the property it binds to, each bad
/// value is reported as one line naming its key, and only the remaining values are bound.
/// </remarks>
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
    /// Binds the <c>Delivery</c> section of <paramref name="root"/> into new options. Each value that cannot be
    /// converted to its property's type adds one line to <paramref name="failures"/> and is left out (its default applies).
    /// </summary>
    public static DeliveryOptions Bind(IConfiguration root, ICollection<string> failures)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(failures);
        var section = root.GetSection(DeliveryOptions.SectionName);
        var badKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        CheckNode(section, typeof(DeliveryOptions), failures, badKeys);

        var values = section.AsEnumerable()
            .Where(kv => kv.Value is not null && !badKeys.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        try
        {
            return new ConfigurationBuilder().AddInMemoryCollection(values).Build()
                .GetSection(DeliveryOptions.SectionName).Get<DeliveryOptions>() ?? new DeliveryOptions();
        }
        catch (InvalidOperationException e)
        {
            // Not expected after the checks above; reported without the value, which may be a secret.
            var key = FailedConversion().Match(e.Message) is { Success: true } match ? match.Groups["key"].Value : DeliveryOptions.SectionName;
            failures.Add($"{key}: cannot be bound ({e.GetType().Name})");
            return new DeliveryOptions();
        }
    }

    /// <summary>Copies bound options into <paramref name="target"/> (the instance the options factory created).</summary>
    internal static void CopyTo(DeliveryOptions source, DeliveryOptions target)
    {
        target.Kafka = source.Kafka;
        target.Http = source.Http;
        target.ShutdownTimeout = source.ShutdownTimeout;
        target.Destinations = source.Destinations;
    }

    private static void CheckNode(IConfigurationSection node, Type type, ICollection<string> failures, HashSet<string> badKeys)
    {
        if (IsScalar(type))
        {
            if (node.Value is { } value && !CanConvert(value, type))
            {
                var shown = DeliveryOptionsValidator.IsSecretKey(node.Path) ? "(value hidden)" : $"(was '{value}')";
                failures.Add($"{node.Path}: must be {Describe(type)} {shown}");
                badKeys.Add(node.Path);
            }

            return;
        }

        var element = ElementType(type);
        if (!string.IsNullOrEmpty(node.Value))
        {
            // The binder ignores a plain value where it expects a section: the whole destination, or every source
            // topic, would silently be missing.
            failures.Add(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>)
                ? $"{node.Path}: must be a list ({node.Key}:0, {node.Key}:1, …), not a single value"
                : $"{node.Path}: must be a section with keys below it, not a single value");
            badKeys.Add(node.Path);
            return;
        }

        if (element is not null)
        {
            foreach (var child in node.GetChildren())
            {
                CheckNode(child, element, failures, badKeys);
            }

            return;
        }

        foreach (var child in node.GetChildren())
        {
            // Unknown keys (e.g. a destination's type-specific Settings) are not this binder's business.
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not null)
            {
                CheckNode(child, property.PropertyType, failures, badKeys);
            }
        }
    }

    // The value types DeliveryOptions uses; anything else is a section (an options class, a list or a dictionary).
    private static bool IsScalar(Type type)
        => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(Uri);

    // Lists bind from children "0", "1", …; dictionaries from children named by their keys: either way the children
    // hold elements. (DeliveryOptions uses IList<T> and IDictionary<string, T>.)
    private static Type? ElementType(Type type)
        => !type.IsGenericType ? null
            : type.GetGenericTypeDefinition() == typeof(IDictionary<,>) ? type.GetGenericArguments()[1]
            : type.GetGenericTypeDefinition() == typeof(IList<>) ? type.GetGenericArguments()[0]
            : null;

    private static bool CanConvert(string value, Type type)
    {
        try
        {
            // The same conversion the configuration binder uses.
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
#pragma warning disable CA1031 // Converters throw a variety of exceptions for a bad value; each one means "cannot convert".
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(short) => "a whole number",
        _ when type == typeof(double) => "a number (with '.' as the decimal point)",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a duration such as 00:00:30 (hh:mm:ss) or 1.00:00:00 (d.hh:mm:ss)",
        _ when type == typeof(Uri) => "a URI",
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ => string.Create(CultureInfo.InvariantCulture, $"a value of type {type.Name}"),
    };

    [GeneratedRegex("at '(?<key>[^']+)' to type", RegexOptions.CultureInvariant)]
    private static partial Regex FailedConversion();
}
