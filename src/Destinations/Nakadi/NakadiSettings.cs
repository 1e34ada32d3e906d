namespace Delivery.Destinations.Nakadi;

/// <summary>Settings of a Nakadi destination (<c>Delivery:Destinations:{name}:Settings</c>).</summary>
internal sealed class NakadiSettings : IDestinationSettings
{
    /// <summary>The event type to publish to. Required.</summary>
    public string EventType { get; set; } = string.Empty;

    /// <summary>
    /// Path appended to <c>Http:BaseAddress</c>. Default <c>event-types/{EventType}/events</c> (event type
    /// URL-escaped).
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// How many times, within one call, the events Nakadi <c>aborted</c> in a 422 are resent without the failed
    /// ones. Default 3, range 0–10. Still aborted after that: reported retryable.
    /// </summary>
    public int MaxResendRounds { get; set; } = 3;

    /// <summary>Pre-validation: JSON paths of which at least one must be present. Default empty (no check).</summary>
    public IList<string> RequireAnyOf { get; set; } = [];

    /// <summary>The path after defaults.</summary>
    public string EffectivePath => string.IsNullOrWhiteSpace(Path) ? $"event-types/{Uri.EscapeDataString(EventType)}/events" : Path;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Problem)> Validate()
    {
        if (string.IsNullOrWhiteSpace(EventType))
        {
            yield return (nameof(EventType), "is required");
        }

        if (MaxResendRounds is < 0 or > 10)
        {
            yield return (nameof(MaxResendRounds), "must be between 0 and 10");
        }
    }
}
