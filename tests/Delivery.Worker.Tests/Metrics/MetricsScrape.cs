using Delivery.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Tests.Metrics;

/// <summary>Records one measurement on every DeliveryMetrics instrument and scrapes the Prometheus text.</summary>
internal static class MetricsScrape
{
    public static void RecordOneOfEach(DeliveryMetrics metrics, string destination)
    {
        metrics.RegisterDestination(destination, () => new DestinationGauges(7, 42, CircuitOpen: true));
        metrics.Consumed(destination, "orders", 3);
        metrics.Sent(destination, $"{destination}.retry.1", 1);
        metrics.ProcessDuration(destination, TimeSpan.FromMilliseconds(12));
        metrics.Events(destination, "delivered", null, 2);
        metrics.Events(destination, "retried", "RETRYABLE_ERROR", 1, tier: 1);
        metrics.Events(destination, "dead_lettered", "BAD_REQUEST", 1, reason: "NonRetryable");
        metrics.Batch(destination, "resolved", 4);
        metrics.HandlerDuration(destination, TimeSpan.FromMilliseconds(3));
        metrics.EventResolved(destination, TimeSpan.FromSeconds(2), 2);
        metrics.ContractViolations(destination, 1);
        metrics.CommitFailed(destination);
    }

    /// <summary>An isolated provider (no host): the text after one measurement of each instrument.</summary>
    public static string RecordAndScrape(string destination)
    {
        var services = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .AddDeliveryTelemetry()
            .BuildServiceProvider();
        using (services)
        {
            services.GetRequiredService<TelemetryProviders>().Start();
            RecordOneOfEach(services.GetRequiredService<DeliveryMetrics>(), destination);
            return services.GetRequiredService<PrometheusScrapeHandler>().Scrape();
        }
    }

    /// <summary>Sample names (before labels) of the exposition text.</summary>
    public static HashSet<string> SampleNames(string text) =>
    [
        .. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(static l => !l.StartsWith('#'))
            .Select(static l => l[..l.IndexOfAny(['{', ' '])]),
    ];
}
