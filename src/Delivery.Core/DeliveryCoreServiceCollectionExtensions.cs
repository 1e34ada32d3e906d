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
    /// Binds <see cref="DeliveryOptions"/> to the <c>Delivery</c> section of <paramref name="configuration"/>, validates
    /// it with <see cref="DeliveryOptionsValidator"/> when the host starts (a bad value stops start-up with one line
    /// per problem naming the key), and registers <see cref="TimeProvider.System"/> unless a clock is registered already.
    /// </summary>
    public static IServiceCollection AddDeliveryCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DeliveryOptions>()
            .Bind(configuration.GetSection(DeliveryOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
