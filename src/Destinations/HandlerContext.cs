using Delivery.Destinations.Http;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations;

/// <summary>What a handler is built from: its HTTP plumbing, its validated settings, its logger and the destination instruments.</summary>
/// <typeparam name="TSettings">The type's settings class.</typeparam>
internal sealed record HandlerContext<TSettings>(DestinationHttpClient Http, TSettings Settings, ILogger Logger, DestinationMetrics Metrics)
    where TSettings : class, IDestinationSettings;
