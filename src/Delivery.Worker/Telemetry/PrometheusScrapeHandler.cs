using System.Text;
using OpenTelemetry.Metrics;

namespace Delivery.Worker.Telemetry;

/// <summary>
/// The pull side of the /metrics endpoint: owns the Prometheus exporter and the metric reader registered with the
/// meter provider, and renders one scrape at a time (collection is synchronous and cumulative).
/// </summary>
internal sealed class PrometheusScrapeHandler : IDisposable
{
    /// <summary>The content type of the text exposition format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly PrometheusTextExporter _exporter;
    private readonly Lock _gate = new();
    private int _disposed;

    /// <summary>Creates the handler and its reader for the streams of <paramref name="metrics"/>.</summary>
    public PrometheusScrapeHandler(DeliveryMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _exporter = new PrometheusTextExporter(metrics.InstanceId);
        Reader = new BaseExportingMetricReader(_exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
    }

    /// <summary>The reader to add to the meter provider.</summary>
    public MetricReader Reader { get; }

    /// <summary>Collects every instrument now and returns the exposition text (empty before the provider starts).</summary>
    public string Scrape(int timeoutMilliseconds = 5_000)
    {
        var buffer = new StringBuilder(4096);
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return string.Empty;
            }

            _exporter.BeginCollect(buffer);
            try
            {
                Reader.Collect(timeoutMilliseconds);
            }
            finally
            {
                _exporter.BeginCollect(null);
            }
        }

        return buffer.ToString();
    }

    /// <summary>Stops scraping; the meter provider that owns <see cref="Reader"/> disposes it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            Interlocked.Exchange(ref _disposed, 1);
        }
    }
}
