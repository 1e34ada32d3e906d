using Delivery.Core;
using Delivery.Destinations.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations.Nakadi;

/// <summary>Creates <see cref="NakadiHandler"/>s (type <c>Nakadi</c>).</summary>
internal sealed class NakadiHandlerFactory(
    IConfiguration configuration,
    IHttpClientFactory clients,
    ILoggerFactory loggers,
    TimeProvider time,
    DestinationMetrics metrics)
    : DestinationHandlerFactory<NakadiSettings>(configuration, clients, loggers, time, metrics)
{
    /// <summary>The configuration <c>Type</c> value.</summary>
    public const string TypeName = "Nakadi";

    protected override IEnumerable<(string Key, string Problem)> ValidateSettings(NakadiSettings settings) => settings.Validate();

    protected override IDestinationHandler CreateHandler(DestinationHttpClient http, NakadiSettings settings)
        => new NakadiHandler(http, settings, Loggers.CreateLogger<NakadiHandler>(), Metrics);
}
