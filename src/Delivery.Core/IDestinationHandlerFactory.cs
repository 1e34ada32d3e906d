namespace Delivery.Core;

/// <summary>
/// Creates the handlers of one destination type. Registered as a keyed singleton whose key is the type name used
/// in configuration (<c>Delivery:Destinations:{name}:Type</c>), so new types plug in without pipeline changes.
/// </summary>
public interface IDestinationHandlerFactory
{
    /// <summary>
    /// Checks the type-specific settings of <paramref name="destination"/>; each problem is one line naming the
    /// configuration key (e.g. <c>Delivery:Destinations:orders:Settings:EventType: is required</c>).
    /// </summary>
    IReadOnlyList<string> Validate(string destination);

    /// <summary>Creates the handler of <paramref name="destination"/> (called once per pipeline start).</summary>
    IDestinationHandler Create(string destination);

    /// <summary>
    /// The class this type binds <c>Delivery:Destinations:{name}:Settings</c> to: its settable properties are the known
    /// <c>Settings</c> keys, and any other key there is refused at start-up as unknown. Null (the default) when the type
    /// has no settings class; its <c>Settings</c> keys are then not checked.
    /// </summary>
    Type? SettingsType => null;
}
