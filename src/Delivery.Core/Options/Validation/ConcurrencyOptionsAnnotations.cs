using Microsoft.Extensions.Options;

namespace Delivery.Core.Options.Validation;

/// <summary>Source-generated data-annotation checks of <see cref="ConcurrencyOptions"/> (mapped to configuration keys by <see cref="DeliveryOptionsValidator"/>).</summary>
[OptionsValidator]
internal sealed partial class ConcurrencyOptionsAnnotations : IValidateOptions<ConcurrencyOptions>;
