using System.Text.Json.Nodes;
using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Chart;

public sealed class DashboardTests
{
    private static string Source => Path.Combine(RepositoryPaths.Root, "deploy", "dashboards", "delivery-worker.json");

    private static string ChartCopy => Path.Combine(RepositoryPaths.Chart, "dashboards", "delivery-worker.json");

    [Fact]
    public void ChartCopy_Always_ByteIdenticalToDeployDashboards()
    {
        Assert.True(File.Exists(Source), Source);
        Assert.True(
            File.ReadAllBytes(Source).AsSpan().SequenceEqual(File.ReadAllBytes(ChartCopy)),
            $"{ChartCopy} differs from {Source}: copy the dashboard into the chart (helm cannot read files outside it)");
    }

    [Fact]
    public void Dashboard_Always_IsAGrafanaDashboardJson()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Source))!.AsObject();

        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["title"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["uid"]));
        Assert.NotNull(dashboard["panels"]?.AsArray());
    }

    [Fact]
    public async Task DashboardConfigMap_Defaults_LabelledForTheGrafanaSidecarWithTheFile()
    {
        var chart = await ChartRenders.DefaultsAsync();

        var configMap = Assert.Single(chart.OfKind("ConfigMap"), c => c["data"]?["delivery-worker.json"] is not null);

        Assert.Equal("1", (string?)configMap["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(File.ReadAllText(ChartCopy)),
            JsonNode.Parse((string)configMap["data"]!["delivery-worker.json"]!)));
    }

    [Fact]
    public async Task DashboardConfigMap_Disabled_NotRendered()
    {
        var chart = await ChartRenders.RenderAsync([], ["dashboard.enabled=false"]);

        Assert.DoesNotContain(chart.OfKind("ConfigMap"), c => c["data"]?["delivery-worker.json"] is not null);
        Assert.NotNull(chart.AppSettingsConfigMap);
    }
}
