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
        await using var worker = await RunningWorker.StartAsync(new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            Overrides = RunningWorker.BaseConfiguration(),
            LogOutput = TextWriter.Null,
        });
        MetricsScrape.RecordOneOfEach(worker.Services.GetRequiredService<DeliveryMetrics>(), destination);

        using var response = await worker.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var mine = text.Split('\n').Where(l => l.Contains($"destination=\"{destination}\"", StringComparison.Ordinal)).ToArray();
        Assert.Contains(mine, l => l.StartsWith($"messaging_client_consumed_messages_total{{destination=\"{destination}\",messaging_destination_name=\"orders\",messaging_system=\"kafka\"}} 3", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("messaging_client_sent_messages_total{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_events_total{", StringComparison.Ordinal) && l.Contains("outcome=\"delivered\"", StringComparison.Ordinal) && l.EndsWith(" 2", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_events_total{", StringComparison.Ordinal) && l.Contains("tier=\"1\"", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_events_total{", StringComparison.Ordinal) && l.Contains("reason=\"NonRetryable\"", StringComparison.Ordinal) && l.Contains("error_type=\"BAD_REQUEST\"", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_batches_total{", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_contract_violations_total{", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_handler_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("le=\"0.005\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_handler_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("le=\"0.001\"", StringComparison.Ordinal) && l.EndsWith(" 0", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_handler_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("le=\"+Inf\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_handler_duration_seconds_count{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_handler_duration_seconds_sum{", StringComparison.Ordinal) && l.EndsWith(" 0.003", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("messaging_process_duration_seconds_count{", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_event_age_seconds_bucket{", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_attempts_bucket{", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_batch_events_sum{", StringComparison.Ordinal) && l.EndsWith(" 4", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_inflight_events{", StringComparison.Ordinal) && l.EndsWith(" 7", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_consumer_lag{", StringComparison.Ordinal) && l.EndsWith(" 42", StringComparison.Ordinal));
        Assert.Contains(mine, l => l.StartsWith("delivery_circuit_open{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains("# TYPE delivery_events_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE delivery_handler_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE delivery_consumer_lag gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountersAcrossScrapes_AreCumulative()
    {
        var destination = $"d{Guid.NewGuid():N}";
        await using var worker = await RunningWorker.StartAsync(new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            Overrides = RunningWorker.BaseConfiguration(),
            LogOutput = TextWriter.Null,
        });
        var metrics = worker.Services.GetRequiredService<DeliveryMetrics>();

        metrics.Events(destination, "delivered", null, 5);
        var first = await worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        metrics.Events(destination, "delivered", null, 3);
        var second = await worker.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal("5", Value(first, destination));
        Assert.Equal("8", Value(second, destination));
    }

    [Fact]
    public void Scrape_WithoutHost_NamesEveryInstrument()
    {
        var names = MetricsScrape.SampleNames(MetricsScrape.RecordAndScrape($"d{Guid.NewGuid():N}"));

        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "messaging_client_consumed_messages_total", "messaging_client_sent_messages_total",
                "messaging_process_duration_seconds_bucket", "delivery_events_total", "delivery_batches_total",
                "delivery_batch_events_bucket", "delivery_handler_duration_seconds_bucket", "delivery_event_age_seconds_bucket",
                "delivery_attempts_bucket", "delivery_inflight_events", "delivery_consumer_lag", "delivery_circuit_open",
                "delivery_contract_violations_total", "delivery_commit_failures_total",
            },
            names);
    }

    private static string Value(string text, string destination) =>
        text.Split('\n')
            .SingleOrDefault(l => l.StartsWith("delivery_events_total{", StringComparison.Ordinal)
                && l.Contains($"destination=\"{destination}\"", StringComparison.Ordinal)
                && l.Contains("outcome=\"delivered\"", StringComparison.Ordinal))
            ?.Split(' ')[^1] ?? throw new Xunit.Sdk.XunitException($"no delivered series for {destination} in:\n{text}");

    [Fact]
    public void Scrape_AnotherDeliveryMetricsInTheProcessIsDisposed_OwnSeriesSurvive()
    {
        var mine = $"d{Guid.NewGuid():N}";
        using var services = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .AddDeliveryTelemetry()
            .BuildServiceProvider();
        services.GetRequiredService<TelemetryProviders>().Start();
        var metrics = services.GetRequiredService<DeliveryMetrics>();
        metrics.Events(mine, "delivered", null, 1);

        // A second host's metrics (same meter and instrument names) come and go, as in a test run.
        using (var other = new ServiceCollection().AddMetrics().AddSingleton<DeliveryMetrics>().BuildServiceProvider())
        {
            other.GetRequiredService<DeliveryMetrics>().Events("foreign", "delivered", null, 100);
        }

        var scrape = services.GetRequiredService<PrometheusScrapeHandler>().Scrape();
        metrics.Events(mine, "delivered", null, 1);
        var next = services.GetRequiredService<PrometheusScrapeHandler>().Scrape();

        Assert.Equal("1", Value(scrape, mine));
        Assert.Equal("2", Value(next, mine));
        Assert.DoesNotContain("foreign", next, StringComparison.Ordinal);
    }
}
