using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Delivery.Worker.Telemetry;

/// <summary>
/// Builds and owns the OpenTelemetry meter and tracer providers (OpenTelemetry.Extensions.Hosting is not available
/// here, so the worker does what it would do): meter <see cref="DeliveryMetrics.MeterName"/> goes to the Prometheus
/// pull reader behind /metrics and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, to OTLP; the batch spans of
/// <see cref="DeliveryMetrics.ActivitySourceName"/> go to OTLP. Started first, disposed once.
/// </summary>
/// <remarks>It depends on <see cref="DeliveryMetrics"/> so that every instrument exists (and is scraped) from the start.</remarks>
internal sealed class TelemetryProviders(IConfiguration configuration, PrometheusScrapeHandler prometheus, DeliveryMetrics metrics) : IHostedService, IDisposable
{
    /// <summary>The standard variable that turns the OTLP exporter on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The destination handlers' meter (contract violations seen by the handlers).</summary>
    public const string DestinationsMeterName = "Delivery.Destinations";

    private const string DefaultServiceName = "delivery-worker";

    private readonly Lock _gate = new();
    private MeterProvider? _meterProvider;
    private TracerProvider? _tracerProvider;
    private bool _started;
    private bool _disposed;

    /// <summary>True when OTLP export is configured.</summary>
    public bool OtlpEnabled => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);

    /// <summary>Builds the providers (idempotent).</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                return;
            }

            _started = true;
            GC.KeepAlive(metrics);
            var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName;
            var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

            var meters = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter(DeliveryMetrics.MeterName, DestinationsMeterName)
                .AddReader(prometheus.Reader);
            if (OtlpEnabled)
            {
                meters = meters.AddOtlpExporter();
            }

            _meterProvider = meters.Build();

            if (OtlpEnabled)
            {
                _tracerProvider = Sdk.CreateTracerProviderBuilder()
                    .SetResourceBuilder(resource)
                    .AddSource(DeliveryMetrics.ActivitySourceName)
                    .AddOtlpExporter()
                    .Build();
            }
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _tracerProvider?.ForceFlush(2_000);
            _meterProvider?.ForceFlush(2_000);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            prometheus.Dispose();
            _tracerProvider?.Dispose();
            if (_meterProvider is not null)
            {
                _meterProvider.Dispose(); // disposes the Prometheus reader it owns
            }
            else
            {
                prometheus.Reader.Dispose();
            }
        }
    }
}
