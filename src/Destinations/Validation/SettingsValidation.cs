namespace Delivery.Destinations.Validation;

/// <summary>Checks shared by the settings classes of every destination type.</summary>
internal static class SettingsValidation
{
    /// <summary>Problems of a <c>RequireAnyOf</c> list, as (key relative to Settings, problem).</summary>
    public static IEnumerable<(string Key, string Problem)> RequireAnyOf(IList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        for (var i = 0; i < paths.Count; i++)
        {
            if (!JsonPath.TryParse(paths[i], out _))
            {
                yield return ($"RequireAnyOf:{i}", $"'{paths[i]}' is not a supported JSON path ($.a.b, $.a[0], $['a b'])");
            }
        }
    }

    /// <summary>A problem when <paramref name="path"/> is not a relative path.</summary>
    public static IEnumerable<(string Key, string Problem)> RelativePath(string key, string? path)
    {
        if (path is not null && (path.Contains("://", StringComparison.Ordinal) || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal)))
        {
            yield return (key, "must be a path relative to Http:BaseAddress, without scheme, query or fragment");
        }
    }
}
