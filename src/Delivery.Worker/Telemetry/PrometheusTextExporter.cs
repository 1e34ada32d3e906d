using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Delivery.Worker.Telemetry;

/// <summary>
/// Formats the metrics of one collection in the Prometheus text exposition format (0.0.4). It is driven by
/// <see cref="PrometheusScrapeHandler"/>: a scrape calls <see cref="MetricReader.Collect"/> on the pull reader,
/// which calls <see cref="Export"/> synchronously on the same thread with cumulative data. (It declares no
/// <c>ExportModes.Pull</c>: the SDK only lets its own Prometheus exporter collect pull-only readers.)
/// </summary>
internal sealed class PrometheusTextExporter(string meterInstanceId) : BaseExporter<Metric>
{
    private StringBuilder? _target;

    /// <summary>Sets the buffer the next <see cref="Export"/> writes into (null stops writing).</summary>
    internal void BeginCollect(StringBuilder? target) => _target = target;

    /// <inheritdoc />
    public override ExportResult Export(in Batch<Metric> batch)
    {
        var output = _target;
        if (output is null)
        {
            return ExportResult.Success;
        }

        foreach (var metric in batch)
        {
            if (IsForeign(metric))
            {
                continue;
            }

            Write(output, metric);
        }

        return ExportResult.Success;
    }

    // Another DeliveryMetrics instance in this process (only in tests that run several hosts): not ours to export.
    private bool IsForeign(Metric metric)
    {
        if (!string.Equals(metric.MeterName, DeliveryMetrics.MeterName, StringComparison.Ordinal) || metric.MeterTags is null)
        {
            return false;
        }

        foreach (var tag in metric.MeterTags)
        {
            if (string.Equals(tag.Key, DeliveryMetrics.InstanceTag, StringComparison.Ordinal))
            {
                return !string.Equals(tag.Value as string, meterInstanceId, StringComparison.Ordinal);
            }
        }

        return false;
    }

    private static void Write(StringBuilder output, Metric metric)
    {
        var type = metric.MetricType;
        var isCounter = type is MetricType.LongSum or MetricType.DoubleSum;
        var family = isCounter ? PrometheusNaming.CounterName(metric.Name, metric.Unit) : PrometheusNaming.MetricName(metric.Name, metric.Unit);
        var promType = type switch
        {
            MetricType.LongSum or MetricType.DoubleSum => "counter",
            MetricType.Histogram => "histogram",
            MetricType.LongGauge or MetricType.DoubleGauge or MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic => "gauge",
            _ => null,
        };
        if (promType is null)
        {
            return; // exponential histograms are not configured by this worker
        }

        if (!string.IsNullOrEmpty(metric.Description))
        {
            output.Append("# HELP ").Append(family).Append(' ').Append(PrometheusNaming.EscapeHelp(metric.Description)).Append('\n');
        }

        output.Append("# TYPE ").Append(family).Append(' ').Append(promType).Append('\n');
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = Labels(point.Tags);
            switch (type)
            {
                case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                    Sample(output, family, labels, null, Format(point.GetSumLong()));
                    break;
                case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                    Sample(output, family, labels, null, Format(point.GetSumDouble()));
                    break;
                case MetricType.LongGauge:
                    Sample(output, family, labels, null, Format(point.GetGaugeLastValueLong()));
                    break;
                case MetricType.DoubleGauge:
                    Sample(output, family, labels, null, Format(point.GetGaugeLastValueDouble()));
                    break;
                case MetricType.Histogram:
                    long cumulative = 0;
                    foreach (var bucket in point.GetHistogramBuckets())
                    {
                        cumulative += bucket.BucketCount;
                        var le = double.IsPositiveInfinity(bucket.ExplicitBound) ? "+Inf" : Format(bucket.ExplicitBound);
                        Sample(output, family + "_bucket", labels, le, Format(cumulative));
                    }

                    Sample(output, family + "_sum", labels, null, Format(point.GetHistogramSum()));
                    Sample(output, family + "_count", labels, null, Format(point.GetHistogramCount()));
                    break;
            }
        }
    }

    private static string Labels(ReadOnlyTagCollection tags)
    {
        if (tags.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var tag in tags)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            builder.Append(PrometheusNaming.LabelName(tag.Key)).Append("=\"").Append(PrometheusNaming.EscapeLabelValue(value)).Append('"');
        }

        return builder.ToString();
    }

    private static void Sample(StringBuilder output, string name, string labels, string? le, string value)
    {
        output.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            output.Append('{').Append(labels);
            if (le is not null)
            {
                output.Append(labels.Length > 0 ? ",le=\"" : "le=\"").Append(le).Append('"');
            }

            output.Append('}');
        }

        output.Append(' ').Append(value).Append('\n');
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
