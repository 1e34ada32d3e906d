using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Delivery.Deploy.Tests.Helm;
using Delivery.Destinations;
using Delivery.Worker.Hosting;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Deploy.Tests.Alerts;

public sealed partial class AlertRulesTests
{
    private static string Directory => Path.Combine(RepositoryPaths.Root, "deploy", "alerts");

    private static string Source => Path.Combine(Directory, "delivery-worker.rules.yaml");

    private static string ChartCopy => Path.Combine(RepositoryPaths.Chart, "alerts", "delivery-worker.rules.yaml");

    [Fact]
    public async Task PromtoolCheckRules_RulesFileAndChartCopy_Valid()
    {
        var (code, output) = await Promtool.RunAsync(Directory, "check", "rules", Source, ChartCopy);

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 6 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_UnitTests_Pass()
    {
        var (code, output) = await Promtool.RunAsync(Directory, "test", "rules", "delivery-worker.rules.test.yaml");

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_RequiredAlerts_EachTestedByPromtool()
    {
        var tests = File.ReadAllText(Path.Combine(Directory, "delivery-worker.rules.test.yaml"));

        string[] required = ["DeliveryDeadLetterRateHigh", "DeliveryLagGrowing", "DeliveryDestinationHeld", "DeliveryNoDeliveries", "DeliveryCommitFailures", "DeliveryContractViolations"];
        Assert.Equal(required.Order(StringComparer.Ordinal), Rules().Select(static r => (string)r["alert"]!).Order(StringComparer.Ordinal));
        foreach (var alert in required)
        {
            Assert.Contains($"alertname: {alert}", tests, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Rules_EveryAlert_NamesAnExistingRunbookSection()
    {
        var anchors = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "runbook.md"))
            .Where(static l => l.StartsWith('#'))
            .Select(static l => Anchor(l.TrimStart('#').Trim()))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var rule in Rules())
        {
            var runbook = (string?)rule["annotations"]?["runbook"];
            Assert.False(string.IsNullOrEmpty(runbook), $"{rule["alert"]}: no runbook annotation");
            Assert.StartsWith("docs/runbook.md#", runbook, StringComparison.Ordinal);
            Assert.Contains(runbook["docs/runbook.md#".Length..], anchors);
            Assert.False(string.IsNullOrEmpty((string?)rule["annotations"]?["summary"]), $"{rule["alert"]}: no summary");
            Assert.False(string.IsNullOrEmpty((string?)rule["labels"]?["severity"]), $"{rule["alert"]}: no severity");
        }
    }

    [Fact]
    public async Task Rules_EveryMetric_IsEmittedByTheWorker()
    {
        var emitted = await EmittedSampleNamesAsync();

        var used = Rules().SelectMany(static r => MetricName().Matches((string)r["expr"]!).Select(static m => m.Value)).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("delivery_commit_failures_total", used);
        Assert.Empty(used.Except(emitted).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ChartCopy_Always_ByteIdenticalToDeployAlerts()
        => Assert.True(
            File.ReadAllBytes(Source).AsSpan().SequenceEqual(File.ReadAllBytes(ChartCopy)),
            $"{ChartCopy} differs from {Source}: copy the rules into the chart (helm cannot read files outside it)");

    [Fact]
    public async Task PrometheusRule_Defaults_NotRendered()
    {
        var chart = await ChartRenders.DefaultsAsync();

        Assert.Empty(chart.OfKind("PrometheusRule"));
    }

    [Fact]
    public async Task PrometheusRule_Enabled_RendersExactlyTheRulesFileWithLabels()
    {
        var chart = await ChartRenders.RenderAsync([], ["alerts.enabled=true", "alerts.labels.release=kube-prometheus-stack"]);

        var rule = chart.Single("PrometheusRule");

        Assert.Equal("monitoring.coreos.com/v1", (string?)rule["apiVersion"]);
        Assert.Equal("kube-prometheus-stack", (string?)rule["metadata"]!["labels"]!["release"]);
        Assert.Equal("delivery-worker", (string?)rule["metadata"]!["labels"]!["app.kubernetes.io/name"]);
        var file = YamlJson.ParseDocuments(File.ReadAllText(Source)).Single();
        Assert.True(JsonNode.DeepEquals(file, rule["spec"]), rule["spec"]!.ToJsonString());
    }

    private static List<JsonObject> Rules()
    {
        var file = YamlJson.ParseDocuments(File.ReadAllText(Source)).Single();
        return [.. file["groups"]!.AsArray().SelectMany(static g => g!["rules"]!.AsArray()).Select(static r => r!.AsObject())];
    }

    // GitHub's heading anchors: lower case, spaces to '-', punctuation other than '-' and '_' dropped.
    private static string Anchor(string heading)
        => string.Concat(heading.ToLowerInvariant().Select(static c => c == ' ' ? "-" : char.IsLetterOrDigit(c) || c is '-' or '_' ? c.ToString() : string.Empty));

    /// <summary>Sample names of a real worker host's /metrics text after one measurement of every instrument.</summary>
    private static async Task<HashSet<string>> EmittedSampleNamesAsync()
    {
        await using var app = WorkerHost.Build(new WorkerHostSettings
        {
            UseEnvironmentVariables = false,
            LogOutput = TextWriter.Null,
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Overrides = new Dictionary<string, string?>
            {
                ["Delivery:Kafka:BootstrapServers"] = "127.0.0.1:9",
                ["Delivery:Kafka:CreateTopics"] = "false",
            },
        });
        await app.StartAsync();
        try
        {
            var metrics = app.Services.GetRequiredService<DeliveryMetrics>();
            const string destination = "alerts";
            metrics.RegisterDestination(destination, static () => new DestinationGauges(1, 2, CircuitOpen: true));
            metrics.Consumed(destination, "orders", 1);
            metrics.Sent(destination, "alerts.dlq", 1);
            metrics.ProcessDuration(destination, TimeSpan.FromMilliseconds(1));
            metrics.Events(destination, "delivered", null, 1);
            metrics.Events(destination, "dead_lettered", "BAD_REQUEST", 1, reason: "NonRetryable");
            metrics.Batch(destination, "resolved", 1);
            metrics.HandlerDuration(destination, TimeSpan.FromMilliseconds(1));
            metrics.EventResolved(destination, TimeSpan.FromSeconds(1), 1);
            metrics.ContractViolations(destination, 1);
            metrics.CommitFailed(destination);
            app.Services.GetRequiredService<DestinationMetrics>().ContractViolation(destination);
            using var client = new HttpClient { BaseAddress = WorkerHost.ListeningAddress(app), Timeout = TimeSpan.FromSeconds(10) };
            var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(static l => !l.StartsWith('#')).Select(static l => l[..l.IndexOfAny(['{', ' '])])];
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [GeneratedRegex(@"\b(?:delivery|messaging)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
