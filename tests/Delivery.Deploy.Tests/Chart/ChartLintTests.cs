using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Chart;

public sealed class ChartLintTests
{
    [Fact]
    public async Task LintStrict_DefaultValues_Passes()
    {
        var result = await HelmCli.LintAsync();

        Assert.True(result.Succeeded, result.Describe());
        Assert.Contains("0 chart(s) failed", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintStrict_TwoDestinationsExample_Passes()
    {
        var result = await HelmCli.LintAsync([RepositoryPaths.TwoDestinationsExample]);

        Assert.True(result.Succeeded, result.Describe());
    }

    [Fact]
    public async Task LintStrict_EveryOptionalObjectWithHpa_Passes()
    {
        var result = await HelmCli.LintAsync(
            [RepositoryPaths.TwoDestinationsExample],
            ["keda.enabled=false", "autoscaling.enabled=true", "podDisruptionBudget.minAvailable=1",
             "networkPolicy.ingressFrom[0].namespaceSelector.matchLabels.name=monitoring",
             "dashboard.annotations.grafana_folder=Delivery"]);

        Assert.True(result.Succeeded, result.Describe());
    }

    [Fact]
    public async Task LintStrict_NegativeMaxEvents_Fails()
    {
        var values = ValuesFile.Write("""
            delivery:
              Destinations:
                orders:
                  Type: HttpBatch
                  SourceTopics: [orders]
                  Batch:
                    MaxEvents: -1
            """);

        var result = await HelmCli.LintAsync([values]);

        Assert.False(result.Succeeded, result.Describe());
        Assert.Contains("MaxEvents", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_Defaults_RendersTheWorkerObjects()
    {
        var chart = await ChartRenders.DefaultsAsync();

        var kinds = chart.Manifests.Select(m => (string)m["kind"]!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["ConfigMap", "ConfigMap", "Deployment", "PodDisruptionBudget", "Service", "ServiceAccount"], kinds);
    }

    [Fact]
    public async Task Template_TwoDestinationsExample_RendersTheOptionalObjectsItEnables()
    {
        var chart = await ChartRenders.TwoDestinationsAsync();

        Assert.Single(chart.OfKind("ScaledObject"));
        Assert.Single(chart.OfKind("ServiceMonitor"));
        Assert.Single(chart.OfKind("NetworkPolicy"));
        Assert.Empty(chart.OfKind("HorizontalPodAutoscaler"));
        Assert.Empty(chart.OfKind("Secret"));
    }
}
