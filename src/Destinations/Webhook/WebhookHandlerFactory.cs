using Delivery.Core;
using Delivery.Destinations.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations.Webhook;

/// <summary>Creates <see cref="WebhookHandler"/>s (type <c>Webhook</c>).</summary>
internal sealed class WebhookHandlerFactory(
    IConfiguration configuration,
    IHttpClientFactory clients,
    ILoggerFactory loggers,
    TimeProvider time,
    DestinationMetrics metrics)
    : DestinationHandlerFactory<WebhookSettings>(configuration, clients, loggers, time, metrics)
{
    /// <summary>The configuration <c>Type</c> value.</summary>
    public const string TypeName = "Webhook";

    protected override IEnumerable<(string Key, string Problem)> ValidateSettings(WebhookSettings settings) => settings.Validate();

    protected override IDestinationHandler CreateHandler(DestinationHttpClient http, WebhookSettings settings)
        => new WebhookHandler(http, settings);
}
