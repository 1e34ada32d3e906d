using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Destinations;

/// <summary>Registers the destination handler types.</summary>
public static class DestinationsServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="Core.IDestinationHandlerFactory"/> per destination type (keyed by the type name used in
    /// <c>Delivery:Destinations:{name}:Type</c>) and the HTTP clients they use.
    /// </summary>
    public static IServiceCollection AddDeliveryDestinations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // TODO(destinations): HttpBatch, Nakadi, ElasticsearchBulk, Webhook.
        return services;
    }
}
