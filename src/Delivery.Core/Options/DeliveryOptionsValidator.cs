using Microsoft.Extensions.Options;

namespace Delivery.Core.Options;

/// <summary>
/// Validates the whole <c>Delivery</c> section. Every failure is one line that starts with the full configuration
/// key, e.g. <c>Delivery:Destinations:orders:Batch:MaxEvents: must be between 1 and 100000 (was 0)</c>.
/// </summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // TODO(core): data annotations per key + cross-field rules.
        return ValidateOptionsResult.Success;
    }
}
