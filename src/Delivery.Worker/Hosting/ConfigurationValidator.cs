using Delivery.Core;
using Delivery.Core.Options;
using Delivery.Core.Options.Keys;
using Delivery.Worker.Health;
using Delivery.Worker.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Hosting;

/// <summary>
/// Validates the whole configuration before anything starts: the <c>Delivery</c> section through
/// <see cref="DeliveryConfiguration.Validate"/> (values of the wrong type — which the binder would drop silently — and
/// every rule of <see cref="DeliveryOptionsValidator"/>), then each enabled destination's type-specific settings
/// through its keyed <see cref="IDestinationHandlerFactory"/>. Before both, every key under <c>Delivery</c> that no
/// options class binds is refused (<see cref="UnknownKeys"/>), with the key probably meant when one is close.
/// Every problem is one line that starts with the key. Start-up (<c>run</c>), <c>validate-config</c>, the demo and
/// the DLQ tools all validate here.
/// </summary>
internal static class ConfigurationValidator
{
    /// <summary>Sections below <c>Delivery</c> that the worker binds to its own options classes, beside <see cref="DeliveryOptions"/>.</summary>
    public static readonly IReadOnlyDictionary<string, Type> WorkerSections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["Pipeline"] = typeof(PipelineOptions),
        ["Health"] = typeof(HealthOptions),
    };

    /// <summary>Returns every problem (empty when the configuration is valid).</summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(services);
        var unknown = UnknownKeys.Find(configuration, WorkerSections, type => services.GetKeyedService<IDestinationHandlerFactory>(type)?.SettingsType);
        var problems = new List<string>(unknown);
        problems.AddRange(DeliveryConfiguration.Validate(configuration));
        problems.AddRange(HealthOptionsValidator.Check(HealthServiceCollectionExtensions.Read(configuration, problems), ReadPipeline(configuration)));
        var options = DeliveryConfiguration.Bind(configuration, new List<string>());
        var registry = services.GetService<DestinationTypeRegistry>() ?? new DestinationTypeRegistry([]);
        foreach (var (name, destination) in options.Destinations.OrderBy(static d => d.Key, StringComparer.Ordinal))
        {
            if (!destination.Enabled || string.IsNullOrWhiteSpace(destination.Type))
            {
                continue; // a missing Type is the Core validator's line
            }

            // A destination whose common keys are already reported is not handed to its type: a type receives only
            // validated common options. (An unknown key binds nothing, so it does not keep the type from reporting its
            // own problems.)
            var prefix = $"{DeliveryOptions.SectionName}:Destinations:{name}:";
            if (problems.Except(unknown).Any(p => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !p.StartsWith(prefix + "Settings:", StringComparison.OrdinalIgnoreCase)))
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

    // Delivery:Pipeline is validated when the host starts (ValidateOnStart); here only its HandlerTimeout is needed.
    private static PipelineOptions ReadPipeline(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>() ?? new PipelineOptions();
        }
        catch (InvalidOperationException)
        {
            return new PipelineOptions();
        }
    }
}
