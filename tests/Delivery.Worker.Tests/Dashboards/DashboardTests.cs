using System.Text.Json;
using Delivery.Worker.Tests.Docs;
using Delivery.Worker.Tests.Metrics;

namespace Delivery.Worker.Tests.Dashboards;

public sealed class DashboardTests
{
    private static readonly string[] DashboardPath = ["deploy", "dashboards", "delivery-worker.json"];

    [Fact]
    public async Task Dashboard_EveryQueriedSeries_IsEmittedByTheWorker()
    {
        var scrape = await MetricsScrape.RecordAndScrapeAsync($"d{Guid.NewGuid():N}");
        var emitted = MetricsScrape.SampleNames(scrape);
        var queries = Queries();

        var queried = queries.SelectMany(PromQl.MetricNames).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(queried);
        Assert.Empty(queried.Except(emitted).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Dashboard_EveryLabelItGroupsOrFiltersBy_IsEmittedByTheWorker()
    {
        var scrape = await MetricsScrape.RecordAndScrapeAsync($"d{Guid.NewGuid():N}");
        var emittedLabels = MetricsScrape.Samples(scrape).SelectMany(static s => s.Labels.Keys).ToHashSet(StringComparer.Ordinal);

        var used = Queries().SelectMany(PromQl.GroupingLabels).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(used.Except(emittedLabels).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dashboard_CoversTheOperatorQuestions()
    {
        var names = Queries().SelectMany(PromQl.MetricNames).ToHashSet(StringComparer.Ordinal);
        var all = string.Join('\n', Queries());

        Assert.Contains("delivery_events_total", names);                        // throughput by outcome, retry tiers, DLQ by reason
        Assert.Contains("by (destination, tier)", all, StringComparison.Ordinal);
        Assert.Contains("by (destination, reason)", all, StringComparison.Ordinal);
        Assert.Contains("delivery_consumer_lag", names);
        Assert.Contains("delivery_circuit_open", names);
        Assert.Contains("delivery_inflight_events", names);
        Assert.Contains("histogram_quantile(0.5, sum by (le, destination) (rate(delivery_handler_duration_seconds_bucket", all, StringComparison.Ordinal);
        Assert.Contains("histogram_quantile(0.99, sum by (le, destination) (rate(delivery_handler_duration_seconds_bucket", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sum by (outcome) (rate(delivery_events_total{outcome=\"x\",destination=~\"$destination\"}[$__rate_interval]))", "delivery_events_total")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(a_bucket[5m]))) / on (job) b_total", "a_bucket,b_total")]
    [InlineData("label_values(delivery_events_total, destination)", "delivery_events_total")]
    public void MetricNames_Expression_FindsTheSeries(string expression, string expected) =>
        Assert.Equal(expected.Split(',').Order(StringComparer.Ordinal), PromQl.MetricNames(expression).Order(StringComparer.Ordinal));

    private static List<string> Queries()
    {
        using var json = JsonDocument.Parse(RepositoryFiles.Read(DashboardPath));
        var queries = new List<string>();
        Collect(json.RootElement, queries);
        return queries;
    }

    private static void Collect(JsonElement element, List<string> queries)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "expr" or "query" or "definition" && property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() != "prometheus")
                    {
                        queries.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, queries);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, queries);
                }

                break;
        }
    }
}
