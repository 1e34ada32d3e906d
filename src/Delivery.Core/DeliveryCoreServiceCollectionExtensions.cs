using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Delivery.Core;

/// <summary>Registers what Delivery.Core provides to the host.</summary>
public static class DeliveryCoreServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="DeliveryOptions"/> to the <c>Delivery</c> section of <paramref name="configuration"/> (the root
    /// configuration; reloads are followed), validates it with <see cref="DeliveryOptionsValidator"/> when the host starts (a bad value stops start-up with one line
    /// per problem naming the key), and registers <see cref="TimeProvider.System"/> unless a clock is registered already.
    /// </summary>
    public static IServiceCollection AddDeliveryCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // Bound through DeliveryConfiguration.Bind, not OptionsBuilder.Bind: the plain binder silently drops a
        // destination (or list element) holding a value it cannot convert. A bad value fails start-up like a rule.
        services.AddOptions<DeliveryOptions>()
            .Configure(options =>
            {
                var failures = new List<string>();
                var bound = DeliveryConfiguration.Bind(configuration, failures);
                if (failures.Count > 0)
                {
                    throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(DeliveryOptions), failures);
                }

                DeliveryConfiguration.CopyTo(bound, options);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<DeliveryOptions>>(
            new ConfigurationChangeTokenSource<DeliveryOptions>(configuration.GetSection(DeliveryOptions.SectionName))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
