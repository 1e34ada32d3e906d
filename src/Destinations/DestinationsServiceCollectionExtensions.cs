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
        AddFactory<HttpBatchSettings, HttpBatchHandler>(services, configuration, HttpBatchHandler.TypeName, c => new HttpBatchHandler(c));
        AddFactory<NakadiSettings, NakadiHandler>(services, configuration, NakadiHandler.TypeName, c => new NakadiHandler(c));
        AddFactory<ElasticsearchBulkSettings, ElasticsearchBulkHandler>(services, configuration, ElasticsearchBulkHandler.TypeName, c => new ElasticsearchBulkHandler(c));
        AddFactory<WebhookSettings, WebhookHandler>(services, configuration, WebhookHandler.TypeName, c => new WebhookHandler(c));
        return services;
    }

    private static void AddFactory<TSettings, THandler>(
        IServiceCollection services,
        IConfiguration configuration,
        string typeName,
        Func<HandlerContext<TSettings>, THandler> create)
        where TSettings : class, IDestinationSettings, new()
        where THandler : IDestinationHandler
        => services.AddKeyedSingleton<IDestinationHandlerFactory>(typeName, (sp, _) => new DestinationHandlerFactory<TSettings>(
            configuration,
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<THandler>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<DestinationMetrics>(),
            c => create(c)));
}
