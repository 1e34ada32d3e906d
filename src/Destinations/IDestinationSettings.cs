namespace Delivery.Destinations;

/// <summary>The settings every destination type has (<c>Delivery:Destinations:{name}:Settings</c>), checked by its factory.</summary>
internal interface IDestinationSettings
{
    /// <summary>Path appended to <c>Http:BaseAddress</c> (must be relative).</summary>
    string? Path { get; }

    /// <summary>Pre-validation: JSON paths of which at least one must be present.</summary>
    IList<string> RequireAnyOf { get; }

    /// <summary>Problems of the type's own keys as (key relative to Settings, problem); <see cref="Path"/> and <see cref="RequireAnyOf"/> are checked by the factory.</summary>
    IEnumerable<(string Key, string Problem)> Validate();
}
