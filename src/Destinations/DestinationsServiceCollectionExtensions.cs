using Delivery.Core;
using Delivery.Destinations.Http;
using Delivery.Destinations.Elasticsearch;
using Delivery.Destinations.HttpBatch;
using Delivery.Destinations.Nakadi;
using Delivery.Destinations.Webhook;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Destinations;

/// <summary>Registers the destination handler types.</summary>
public static class DestinationsServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IDestinationHandlerFactory"/> per destination type (keyed by the type name used in
    /// <c>Delivery:Destinations:{name}:Type</c>: <c>HttpBatch</c>, <c>Nakadi</c>, <c>ElasticsearchBulk</c>,
    /// <c>Webhook</c>) and the HTTP clients they use (one named client per destination).
    /// </summary>
    public static IServiceCollection AddDeliveryDestinations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHttpClient();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpClientFactoryOptions>, DestinationHttpClientOptionsSetup>());
        services.TryAddSingleton<DestinationMetrics>();
        AddFactory(services, HttpBatchHandlerFactory.TypeName, (sp, c) => new HttpBatchHandlerFactory(configuration, c, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DestinationMetrics>()));
        AddFactory(services, NakadiHandlerFactory.TypeName, (sp, c) => new NakadiHandlerFactory(configuration, c, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DestinationMetrics>()));
        AddFactory(services, ElasticsearchBulkHandlerFactory.TypeName, (sp, c) => new ElasticsearchBulkHandlerFactory(configuration, c, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DestinationMetrics>()));
        AddFactory(services, WebhookHandlerFactory.TypeName, (sp, c) => new WebhookHandlerFactory(configuration, c, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DestinationMetrics>()));
        return services;
    }

    private static void AddFactory(
        IServiceCollection services,
        string typeName,
        Func<IServiceProvider, IHttpClientFactory, IDestinationHandlerFactory> create)
        => services.AddKeyedSingleton(typeName, (sp, _) => create(sp, sp.GetRequiredService<IHttpClientFactory>()));
}
