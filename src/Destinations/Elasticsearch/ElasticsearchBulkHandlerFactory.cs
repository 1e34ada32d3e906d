using Delivery.Core;
using Delivery.Destinations.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations.Elasticsearch;

/// <summary>Creates <see cref="ElasticsearchBulkHandler"/>s (type <c>ElasticsearchBulk</c>).</summary>
internal sealed class ElasticsearchBulkHandlerFactory(
    IConfiguration configuration,
    IHttpClientFactory clients,
    ILoggerFactory loggers,
    TimeProvider time,
    DestinationMetrics metrics)
    : DestinationHandlerFactory<ElasticsearchBulkSettings>(configuration, clients, loggers, time, metrics)
{
    /// <summary>The configuration <c>Type</c> value.</summary>
    public const string TypeName = "ElasticsearchBulk";

    protected override IEnumerable<(string Key, string Problem)> ValidateSettings(ElasticsearchBulkSettings settings) => settings.Validate();

    protected override IDestinationHandler CreateHandler(DestinationHttpClient http, ElasticsearchBulkSettings settings)
        => new ElasticsearchBulkHandler(http, settings, Loggers.CreateLogger<ElasticsearchBulkHandler>(), Metrics);
}
