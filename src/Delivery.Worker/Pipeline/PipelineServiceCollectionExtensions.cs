using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Pipeline;

/// <summary>Registers the Kafka delivery pipelines.</summary>
internal static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Registers one hosted pipeline per enabled destination of <c>Delivery:Destinations</c>, the Kafka clients,
    /// the embedded cluster when <c>Delivery:Kafka:Embedded</c> is true, and <see cref="IPipelineStatusSource"/>.
    /// </summary>
    public static IServiceCollection AddDeliveryPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // TODO(pipeline): options, embedded cluster, Kafka clients, hosted pipelines, status source.
        return services;
    }
}
