using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Delivery.Worker.Telemetry;

/// <summary>Registers the worker's metrics and traces with OpenTelemetry.Extensions.Hosting.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The standard variable that turns the OTLP exporters on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The destination handlers' meter (contract violations seen by the handlers).</summary>
    public const string DestinationsMeterName = "Delivery.Destinations";

    private const string DefaultServiceName = "delivery-worker";

    /// <summary>True when <paramref name="configuration"/> turns OTLP export on.</summary>
    public static bool OtlpEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
    }

    /// <summary>
    /// Adds <see cref="DeliveryMetrics"/> (through <c>IMeterFactory</c>) and OpenTelemetry: the worker's and the
    /// destinations' meters, runtime and HttpClient instrumentation, the Prometheus exporter behind /metrics (mapped by
    /// the endpoints) and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, OTLP for metrics and traces. The batch spans
    /// of <see cref="DeliveryMetrics.ActivitySourceName"/> are the parents of the handlers' HttpClient spans.
    /// </summary>
    public static IServiceCollection AddDeliveryTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMetrics();
        services.TryAddSingleton<DeliveryMetrics>();
        var otlp = OtlpEnabled(configuration);
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName;

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(DeliveryMetrics.MeterName, DestinationsMeterName)
                    .AddRuntimeInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                ((IDeferredMeterProviderBuilder)metrics).Configure((sp, builder) =>
                    builder.AddView(new OwnMetersOnly(sp.GetRequiredService<IMeterFactory>()).Select));
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(DeliveryMetrics.ActivitySourceName)
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        return services;
    }

    /// <summary>
    /// Keeps a host's provider to the meters of its own <see cref="IMeterFactory"/>: a process that runs several hosts
    /// (the tests, the demo's tools) has several meters of one name, and the SDK listens by name.
    /// </summary>
    private sealed class OwnMetersOnly(IMeterFactory factory)
    {
        public MetricStreamConfiguration? Select(Instrument instrument) =>
            instrument.Meter.Scope is IMeterFactory other && !ReferenceEquals(other, factory) ? MetricStreamConfiguration.Drop : null;
    }
}
