using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Delivery.Core.Options.Keys;

/// <summary>
/// Finds keys under <c>Delivery</c> that no options class binds: a misspelt key is otherwise silently ignored and its
/// default used. The known keys come from the bound types by reflection — <see cref="DeliveryOptions"/> and everything
/// below it (dictionaries of destinations, lists), sections the worker binds beside it (e.g. <c>Delivery:Pipeline</c>),
/// and each destination type's <c>Settings</c> class. One line per unknown key, naming its full path and, when a known
/// key is close (<see cref="KeySuggestion"/>), the one probably meant. Keys outside <c>Delivery</c> are not looked at.
/// </summary>
internal static class UnknownKeys
{
    private const string SettingsKey = "Settings";

    /// <summary>Every unknown key under <c>Delivery</c> of <paramref name="root"/> (empty when there is none).</summary>
    /// <param name="root">The whole configuration.</param>
    /// <param name="extraSections">Sections directly below <c>Delivery</c> bound to other types (key → type).</param>
    /// <param name="settingsTypeOf">
    /// The <c>Settings</c> class of a destination type name; null when the type is unknown or does not declare one
    /// (its <c>Settings</c> keys are then not checked: an unknown type is reported by the validator).
    /// </param>
    public static IReadOnlyList<string> Find(IConfiguration root, IReadOnlyDictionary<string, Type> extraSections, Func<string, Type?> settingsTypeOf)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(extraSections);
        ArgumentNullException.ThrowIfNull(settingsTypeOf);
        var problems = new List<string>();
        var section = root.GetSection(DeliveryOptions.SectionName);
        var known = KnownKeys(typeof(DeliveryOptions));
        foreach (var (key, type) in extraSections)
        {
            known[key] = type;
        }

        WalkChildren(section, known, settingsTypeOf, problems);
        return problems;
    }

    /// <summary>The keys <paramref name="type"/> binds (property name or its configuration key name → property type).</summary>
    internal static Dictionary<string, Type?> KnownKeys(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var keys = new Dictionary<string, Type?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !IsBound(property))
            {
                continue;
            }

            var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            keys[name] = property.PropertyType;
        }

        return keys;
    }

    private static void Walk(IConfigurationSection node, Type type, Func<string, Type?> settingsTypeOf, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type))
        {
            foreach (var child in node.GetChildren())
            {
                problems.Add($"{child.Path}: unknown key ({node.Path} is a single value, nothing goes below it)");
            }

            return;
        }

        if (ElementType(type) is { } element)
        {
            foreach (var child in node.GetChildren())
            {
                Walk(child, element, settingsTypeOf, problems);
            }

            return;
        }

        var known = KnownKeys(type);
        if (type == typeof(DestinationOptions))
        {
            // A destination's type-specific settings bind to the Settings class of its Type.
            known[SettingsKey] = node[nameof(DestinationOptions.Type)] is { Length: > 0 } destinationType ? settingsTypeOf(destinationType) : null;
        }

        WalkChildren(node, known, settingsTypeOf, problems);
    }

    private static void WalkChildren(IConfigurationSection node, Dictionary<string, Type?> known, Func<string, Type?> settingsTypeOf, List<string> problems)
    {
        foreach (var child in node.GetChildren())
        {
            if (!known.TryGetValue(child.Key, out var childType))
            {
                problems.Add(Unknown(child, known.Keys));
            }
            else if (childType is not null)
            {
                Walk(child, childType, settingsTypeOf, problems);
            }
        }
    }

    private static string Unknown(IConfigurationSection key, IEnumerable<string> known)
    {
        var names = known.Order(StringComparer.Ordinal).ToArray();
        return KeySuggestion.Closest(key.Key, names) is { } meant
            ? $"{key.Path}: unknown key (did you mean {meant}?)"
            : $"{key.Path}: unknown key (known here: {string.Join(", ", names)})";
    }

    // What the configuration binder writes: settable properties, and get-only ones holding an object or collection it
    // fills in place (never computed read-only values such as EffectiveDelays).
    private static bool IsBound(PropertyInfo property)
    {
        if (property.GetMethod is not { IsPublic: true })
        {
            return false;
        }

        if (property.SetMethod is { IsPublic: true })
        {
            return true;
        }

        var type = property.PropertyType;
        return !IsScalar(Nullable.GetUnderlyingType(type) ?? type) && !type.IsInterface && !type.IsValueType;
    }

    private static bool IsScalar(Type type)
        => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(Uri) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid);

    // Dictionaries bind children named by their keys, lists and arrays children "0", "1", …: either way every child
    // is an element.
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var dictionary = Implemented(type, typeof(IDictionary<,>)) ?? Implemented(type, typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
        {
            return dictionary.GetGenericArguments()[1];
        }

        return Implemented(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static Type? Implemented(Type type, Type generic)
        => type.IsGenericType && type.GetGenericTypeDefinition() == generic
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
}
