namespace Delivery.Destinations.HttpBatch;

/// <summary>Settings of an HttpBatch destination (<c>Delivery:Destinations:{name}:Settings</c>).</summary>
internal sealed class HttpBatchSettings : IDestinationSettings
{
    /// <summary>Path appended to <c>Http:BaseAddress</c>. Default empty (post to the base address).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Name of the request body's array field. Default <c>events</c>.</summary>
    public string EventsField { get; set; } = "events";

    /// <summary>
    /// When set, the <c>delivery-event-id</c> is written into this top-level field of every element (the events
    /// must then be JSON objects), so the API can deduplicate retries. Default unset: elements are sent unchanged.
    /// </summary>
    public string? EventIdField { get; set; }

    /// <summary>Pre-validation: JSON paths of which at least one must be present. Default empty (no check).</summary>
    public IList<string> RequireAnyOf { get; set; } = [];

    /// <inheritdoc />
    public IEnumerable<(string Key, string Problem)> Validate()
    {
        if (string.IsNullOrWhiteSpace(EventsField))
        {
            yield return (nameof(EventsField), "is required");
        }

        if (EventIdField is not null && string.IsNullOrWhiteSpace(EventIdField))
        {
            yield return (nameof(EventIdField), "must not be blank when set");
        }
    }
}
