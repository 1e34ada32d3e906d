using System.Net;
using Delivery.Worker.Hosting;
using Delivery.Worker.Telemetry;
using Delivery.Worker.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Tests.Metrics;

public sealed class PrometheusEndpointTests
{
    [Fact]
    public async Task Metrics_AfterRecording_ShowsEverySeriesInPrometheusNames()
    {
        var destination = $"d{Guid.NewGuid():N}";
        await using var worker = await StartAsync();
        MetricsScrape.RecordOneOfEach(worker.Services.GetRequiredService<DeliveryMetrics>(), destination);

        using var response = await worker.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var d = ("destination", destination);
        Assert.Equal("3", MetricsScrape.Value(text, "messaging_client_consumed_messages_total", d, ("messaging_destination_name", "orders"), ("messaging_system", "kafka")));
        Assert.Equal("1", MetricsScrape.Value(text, "messaging_client_sent_messages_total", d, ("messaging_destination_name", $"{destination}.retry.1")));
        Assert.Equal("2", MetricsScrape.Value(text, "delivery_events_total", d, ("outcome", "delivered")));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_events_total", d, ("outcome", "retried"), ("tier", "1"), ("error_type", "RETRYABLE_ERROR")));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_events_total", d, ("reason", "NonRetryable"), ("error_type", "BAD_REQUEST")));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_batches_total", d, ("result", "resolved")));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_contract_violations_total", d));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_retry_requeued_total", d, ("tier", "1")));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_handler_duration_seconds_bucket", d, ("le", "0.005")));
        Assert.Equal("0", MetricsScrape.Value(text, "delivery_handler_duration_seconds_bucket", d, ("le", "0.001")));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_handler_duration_seconds_bucket", d, ("le", "+Inf")));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_handler_duration_seconds_count", d));
        Assert.Equal("0.003", MetricsScrape.Value(text, "delivery_handler_duration_seconds_sum", d));
        Assert.Equal("1", MetricsScrape.Value(text, "messaging_process_duration_seconds_count", d));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_event_age_seconds_bucket", d, ("le", "5")));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_attempts_bucket", d, ("le", "2")));
        Assert.Equal("4", MetricsScrape.Value(text, "delivery_batch_events_sum", d));
        Assert.Equal("7", MetricsScrape.Value(text, "delivery_inflight_events", d));
        Assert.Equal("42", MetricsScrape.Value(text, "delivery_consumer_lag", d));
        Assert.Equal("1", MetricsScrape.Value(text, "delivery_circuit_open", d));
        Assert.Equal("3", MetricsScrape.Value(text, "delivery_concurrency_limit", d));
        Assert.Contains("# TYPE delivery_events_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE delivery_handler_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE delivery_consumer_lag gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountersAcrossScrapes_AreCumulativeAndNeverCached()
    {
        var destination = $"d{Guid.NewGuid():N}";
        await using var worker = await StartAsync();
        var metrics = worker.Services.GetRequiredService<DeliveryMetrics>();

        metrics.Events(destination, "delivered", null, 5);
        var first = await worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        metrics.Events(destination, "delivered", null, 3);
        var second = await worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal("5", Delivered(first, destination));
        Assert.Equal("8", Delivered(second, destination));
    }

    [Fact]
    public async Task Metrics_WithoutMeasurements_NamesEveryInstrument()
    {
        var names = MetricsScrape.SampleNames(await MetricsScrape.RecordAndScrapeAsync($"d{Guid.NewGuid():N}"));

        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "messaging_client_consumed_messages_total", "messaging_client_sent_messages_total",
                "messaging_process_duration_seconds_bucket", "delivery_events_total", "delivery_batches_total",
                "delivery_batch_events_bucket", "delivery_handler_duration_seconds_bucket", "delivery_event_age_seconds_bucket",
                "delivery_attempts_bucket", "delivery_inflight_events", "delivery_consumer_lag", "delivery_circuit_open",
                "delivery_concurrency_limit", "delivery_contract_violations_total", "delivery_commit_failures_total",
                "delivery_retry_requeued_total",
            },
            names);
    }

    [Fact]
    public async Task Metrics_ScopeLabels_AreTheSameInEveryProcess()
    {
        var destination = $"d{Guid.NewGuid():N}";
        var first = await MetricsScrape.RecordAndScrapeAsync(destination);
        var second = await MetricsScrape.RecordAndScrapeAsync(destination);

        // Labels other than the instruments' own tags come from the meter scope: nothing in them may differ between
        // two processes (or hosts), or every restart would start new series.
        static HashSet<string> ScopeLabels(string text, string destination) =>
        [
            .. MetricsScrape.Samples(text)
                .Where(s => s.Labels.TryGetValue("destination", out var d) && d == destination)
                .SelectMany(static s => s.Labels.Where(static l => l.Key.StartsWith("otel_scope", StringComparison.Ordinal)).Select(static l => $"{l.Key}={l.Value}")),
        ];
        Assert.Equal(ScopeLabels(first, destination), ScopeLabels(second, destination));
        Assert.DoesNotContain(ScopeLabels(first, destination), l => l.Contains("instance", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_AnotherHostsMetricsInTheProcess_AreNotExportedAndOwnSeriesSurviveItsDisposal()
    {
        var mine = $"d{Guid.NewGuid():N}";
        await using var worker = await StartAsync();
        var metrics = worker.Services.GetRequiredService<DeliveryMetrics>();
        metrics.Events(mine, "delivered", null, 1);

        // A second host's metrics (same meter and instrument names) come and go, as in a test run.
        await using (var other = await StartAsync())
        {
            other.Services.GetRequiredService<DeliveryMetrics>().Events("foreign", "delivered", null, 100);
            var during = await worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.DoesNotContain("foreign", during, StringComparison.Ordinal);
        }

        var scrape = await worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        metrics.Events(mine, "delivered", null, 1);
        var next = await worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal("1", Delivered(scrape, mine));
        Assert.Equal("2", Delivered(next, mine));
        Assert.DoesNotContain("foreign", next, StringComparison.Ordinal);
    }

    private static Task<RunningWorker> StartAsync() => RunningWorker.StartAsync(new WorkerHostSettings
    {
        UseEnvironmentVariables = false,
        Overrides = RunningWorker.BaseConfiguration(),
        LogOutput = TextWriter.Null,
    });

    private static string Delivered(string text, string destination) =>
        MetricsScrape.Value(text, "delivery_events_total", ("destination", destination), ("outcome", "delivered"));
}
