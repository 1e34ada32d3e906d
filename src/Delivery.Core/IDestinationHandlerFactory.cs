using Delivery.Core.Options;

namespace Delivery.Core;

/// <summary>
/// Creates the handlers of one destination type. Registered as a keyed singleton whose key is the type name used
/// in configuration (<c>Delivery:Destinations:{name}:Type</c>), so new types plug in without pipeline changes.
/// </summary>
/// <remarks>
/// The host binds and validates the common destination options once (<see cref="DeliveryOptionsValidator"/>) and
/// hands the result to the factory: a factory checks and binds only what is its own (its <c>Settings</c> section and
/// the rules of its type, e.g. that an HTTP type needs <c>Http:BaseAddress</c>).
/// </remarks>
public interface IDestinationHandlerFactory
{
    /// <summary>
    /// Checks the type-specific settings of <paramref name="destination"/>, whose common options are
    /// <paramref name="options"/>; each problem is one line naming the configuration key (e.g.
    /// <c>Delivery:Destinations:orders:Settings:EventType: is required</c>).
    /// </summary>
    IReadOnlyList<string> Validate(string destination, DestinationOptions options);

    /// <summary>
    /// Creates the handler of <paramref name="destination"/> from its validated <paramref name="options"/> (called
    /// once per pipeline start).
    /// </summary>
    IDestinationHandler Create(string destination, DestinationOptions options);

    /// <summary>
    /// The class this type binds <c>Delivery:Destinations:{name}:Settings</c> to: its settable properties are the known
    /// <c>Settings</c> keys, and any other key there is refused at start-up as unknown. Null (the default) when the type
    /// has no settings class; its <c>Settings</c> keys are then not checked.
    /// </summary>
    Type? SettingsType => null;
}
