using System.Collections;
using System.Reflection;
using Delivery.Core.Options;
using Delivery.Worker.Hosting;

namespace Delivery.Worker.Tests.Docs;

public sealed class ConfigurationDocTests
{
    [Fact]
    public void ConfigurationDoc_EveryOptionsKey_IsDocumentedWithDefaultAndMeaning()
    {
        var rows = DocumentedRows();
        var keys = OptionKeys();

        Assert.True(keys.Count > 30, $"only {keys.Count} keys found by reflection");
        var missing = keys.Where(k => !rows.ContainsKey(k)).ToArray();
        Assert.Empty(missing);
        foreach (var key in keys)
        {
            var (defaultValue, meaning) = rows[key];
            Assert.False(string.IsNullOrWhiteSpace(defaultValue), $"{key}: no default documented");
            Assert.False(string.IsNullOrWhiteSpace(meaning), $"{key}: no meaning documented");
        }
    }

    [Fact]
    public void ConfigurationDoc_EveryDocumentedDeliveryKey_Exists()
    {
        var keys = OptionKeys().ToHashSet(StringComparer.Ordinal);

        var stale = DocumentedRows().Keys
            .Where(static k => k.StartsWith("Delivery:", StringComparison.Ordinal))
            .Where(static k => !k.StartsWith("Delivery:Destinations:{name}:Settings:", StringComparison.Ordinal))
            .Where(k => !keys.Contains(k))
            .ToArray();

        Assert.Empty(stale);
    }

    [Fact]
    public void OptionKeys_Reflection_FindsNestedDictionaryAndListKeys()
    {
        var keys = OptionKeys();

        Assert.Contains("Delivery:Kafka:Client:{property}", keys);
        Assert.Contains("Delivery:Destinations:{name}:Batch:MaxInFlightEvents", keys);
        Assert.Contains("Delivery:Destinations:{name}:Retry:Delays", keys);
        Assert.Contains("Delivery:Destinations:{name}:DeadLetter:MaxRedrives", keys);
        Assert.Contains("Delivery:Pipeline:HandlerTimeout", keys);
        Assert.Contains("Delivery:Health:LoopStallTimeout", keys);
        Assert.DoesNotContain("Delivery:Destinations:{name}:Retry:EffectiveDelays", keys);
    }

    /// <summary>Every configuration key the options classes bind, by reflection.</summary>
    internal static List<string> OptionKeys()
    {
        var keys = new List<string>();
        Walk(typeof(DeliveryOptions), DeliveryOptions.SectionName, keys);
        foreach (var (section, type) in ConfigurationValidator.WorkerSections)
        {
            Walk(type, $"{DeliveryOptions.SectionName}:{section}", keys); // worker-wide sections (Pipeline, Health)
        }
        return keys;
    }

    private static void Walk(Type type, string prefix, List<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(static p => p.CanRead && p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var dictionary = propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(IDictionary<,>) ? propertyType.GetGenericArguments()[1] : null;
            if (dictionary is not null && IsOptionsClass(dictionary))
            {
                Walk(dictionary, $"{key}:{{name}}", keys);
            }
            else if (dictionary is not null)
            {
                keys.Add($"{key}:{{property}}");
            }
            else if (IsOptionsClass(propertyType))
            {
                Walk(propertyType, key, keys);
            }
            else
            {
                Assert.True(propertyType == typeof(string) || propertyType.IsValueType || propertyType == typeof(Uri) || typeof(IEnumerable).IsAssignableFrom(propertyType), $"{key}: unexpected type {propertyType}");
                keys.Add(key);
            }
        }
    }

    private static bool IsOptionsClass(Type type) => type.IsClass && type.Namespace == typeof(DeliveryOptions).Namespace;

    /// <summary>First-column key → (default, meaning) of every table row in docs/configuration.md.</summary>
    private static Dictionary<string, (string Default, string Meaning)> DocumentedRows()
    {
        var rows = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in RepositoryFiles.Read("docs", "configuration.md").Split('\n'))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            var cells = line.Trim().Trim('|').Split(" | ");
            if (cells.Length < 3)
            {
                continue;
            }

            rows[cells[0].Trim().Trim('`')] = (cells[1].Trim(), string.Join(" | ", cells[2..]).Trim());
        }

        return rows;
    }
}
