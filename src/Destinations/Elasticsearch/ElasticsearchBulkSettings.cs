namespace Delivery.Destinations.Elasticsearch;

/// <summary>Settings of an ElasticsearchBulk destination (<c>Delivery:Destinations:{name}:Settings</c>).</summary>
internal sealed class ElasticsearchBulkSettings : IDestinationSettings
{
    /// <summary>The target index (or alias / data stream). Required; lowercase.</summary>
    public string Index { get; set; } = string.Empty;

    /// <summary>
    /// The bulk action: <c>index</c> (default; a retry overwrites the document with the same <c>_id</c>) or
    /// <c>create</c> (a retry of an already indexed document answers 409, which counts as success). Data streams
    /// need <c>create</c>.
    /// </summary>
    public string Action { get; set; } = "index";

    /// <summary>Path appended to <c>Http:BaseAddress</c>. Default <c>_bulk</c>.</summary>
    public string Path { get; set; } = "_bulk";

    /// <summary>Pre-validation: JSON paths of which at least one must be present. Default empty (no check).</summary>
    public IList<string> RequireAnyOf { get; set; } = [];

    /// <summary>True for the <c>create</c> action.</summary>
    public bool IsCreate => string.Equals(Action, "create", StringComparison.Ordinal);

    /// <inheritdoc />
    public IEnumerable<(string Key, string Problem)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Index))
        {
            yield return (nameof(Index), "is required");
        }
        else if (!string.Equals(Index, Index.ToLowerInvariant(), StringComparison.Ordinal)
            || Index.IndexOfAny(['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':']) >= 0
            || Index[0] is '-' or '_' or '+')
        {
            yield return (nameof(Index), "must be lowercase, must not start with -, _ or + and must not contain \\ / * ? \" < > | space , # :");
        }

        if (Action is not ("index" or "create"))
        {
            yield return (nameof(Action), "must be 'index' or 'create'");
        }
    }
}
