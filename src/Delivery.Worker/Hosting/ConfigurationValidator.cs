using Delivery.Core;
using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Hosting;

/// <summary>
/// Validates the whole configuration before anything starts: the <c>Delivery</c> section through
/// <see cref="DeliveryConfiguration.Validate"/> (values of the wrong type — which the binder would drop silently — and
/// every rule of <see cref="DeliveryOptionsValidator"/>), then each enabled destination's type-specific settings
/// through its keyed <see cref="IDestinationHandlerFactory"/>. Every problem is one line that starts with the key.
/// </summary>
internal static class ConfigurationValidator
{
    /// <summary>Returns every problem (empty when the configuration is valid).</summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(services);
        var problems = new List<string>(DeliveryConfiguration.Validate(configuration));
        var options = DeliveryConfiguration.Bind(configuration, new List<string>());
        var registry = services.GetService<DestinationTypeRegistry>() ?? new DestinationTypeRegistry([]);
        foreach (var (name, destination) in options.Destinations.OrderBy(static d => d.Key, StringComparer.Ordinal))
        {
            if (!destination.Enabled || string.IsNullOrWhiteSpace(destination.Type))
            {
                continue; // a missing Type is the Core validator's line
            }

            // A destination whose common keys are already reported is not handed to its type: a type receives only
            // validated common options.
            var prefix = $"{DeliveryOptions.SectionName}:Destinations:{name}:";
            if (problems.Any(p => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !p.StartsWith(prefix + "Settings:", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var factory = services.GetKeyedService<IDestinationHandlerFactory>(destination.Type);
            if (factory is null)
            {
                var known = registry.Types.Count > 0 ? string.Join(", ", registry.Types) : "none registered";
                problems.Add($"{DeliveryOptions.SectionName}:Destinations:{name}:Type: unknown destination type '{destination.Type}' (known: {known})");
                continue;
            }

            problems.AddRange(factory.Validate(name, destination));
        }

        return problems.Distinct(StringComparer.Ordinal).ToArray();
    }
}
