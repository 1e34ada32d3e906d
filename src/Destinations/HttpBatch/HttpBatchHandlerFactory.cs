using Delivery.Core;
using Delivery.Destinations.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations.HttpBatch;

/// <summary>Creates <see cref="HttpBatchHandler"/>s (type <c>HttpBatch</c>).</summary>
internal sealed class HttpBatchHandlerFactory(
    IConfiguration configuration,
    IHttpClientFactory clients,
    ILoggerFactory loggers,
    TimeProvider time,
    DestinationMetrics metrics)
    : DestinationHandlerFactory<HttpBatchSettings>(configuration, clients, loggers, time, metrics)
{
    /// <summary>The configuration <c>Type</c> value.</summary>
    public const string TypeName = "HttpBatch";

    protected override IEnumerable<(string Key, string Problem)> ValidateSettings(HttpBatchSettings settings) => settings.Validate();

    protected override IDestinationHandler CreateHandler(DestinationHttpClient http, HttpBatchSettings settings)
        => new HttpBatchHandler(http, settings, Loggers.CreateLogger<HttpBatchHandler>(), Metrics);
}
