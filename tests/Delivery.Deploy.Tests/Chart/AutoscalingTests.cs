using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Chart;

public sealed class AutoscalingTests
{
    private const string TwoGroups = """
        delivery:
          Destinations:
            orders:
              Type: HttpBatch
              SourceTopics: [orders, refunds]
              Http:
                BaseAddress: https://api.example.com
            audit:
              Type: NoOp
              SourceTopics: [orders]
              ConsumerGroup: audit-group
            paused:
              Type: NoOp
              Enabled: false
              SourceTopics: [orders]
        """;

    [Fact]
    public async Task Hpa_Enabled_RendersCpuHpaAndNoScaledObject()
    {
        var chart = await ChartRenders.RenderAsync([], ["autoscaling.enabled=true", "autoscaling.maxReplicas=9"]);

        var hpa = chart.Single("HorizontalPodAutoscaler");
        Assert.Empty(chart.OfKind("ScaledObject"));
        Assert.Equal(9, (int)hpa["spec"]!["maxReplicas"]!);
        Assert.Equal("cpu", (string?)hpa["spec"]!["metrics"]![0]!["resource"]!["name"]);
        Assert.Equal((string?)chart.Deployment["metadata"]!["name"], (string?)hpa["spec"]!["scaleTargetRef"]!["name"]);
        Assert.Null(chart.Deployment["spec"]!["replicas"]);
    }

    [Fact]
    public async Task Keda_Enabled_OneLagTriggerPerEnabledDestinationAndSourceTopic()
    {
        var chart = await ChartRenders.RenderAsync([ValuesFile.Write(TwoGroups)], ["keda.enabled=true", "keda.lagThreshold=750"]);

        var scaledObject = chart.Single("ScaledObject");
        Assert.Empty(chart.OfKind("HorizontalPodAutoscaler"));
        var triggers = scaledObject["spec"]!["triggers"]!.AsArray()
            .Select(t => (
                Type: (string?)t!["type"],
                Group: (string?)t["metadata"]!["consumerGroup"],
                Topic: (string?)t["metadata"]!["topic"],
                Lag: (string?)t["metadata"]!["lagThreshold"],
                Bootstrap: (string?)t["metadata"]!["bootstrapServers"]))
            .OrderBy(t => t.Group, StringComparer.Ordinal).ThenBy(t => t.Topic, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            [("kafka", "audit-group", "orders", "750", "kafka:9092"),
             ("kafka", "delivery.orders", "orders", "750", "kafka:9092"),
             ("kafka", "delivery.orders", "refunds", "750", "kafka:9092")],
            triggers);
    }

    [Fact]
    public async Task HpaAndKeda_BothEnabled_SchemaRejects()
    {
        var result = await ChartRenders.TemplateAsync([], ["autoscaling.enabled=true", "keda.enabled=true"]);

        Assert.False(result.Succeeded, result.Describe());
        Assert.Contains("keda.enabled", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: HorizontalPodAutoscaler", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: ScaledObject", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HpaAndKeda_BothEnabledWithoutSchema_TemplateFailsWithClearMessage()
    {
        // The template guard stands on its own: render a copy of the chart without values.schema.json.
        using var copy = new ChartCopy(relative => relative != "values.schema.json");

        var result = await HelmCli.TemplateAsync(sets: ["autoscaling.enabled=true", "keda.enabled=true"], chart: copy.Chart);

        Assert.False(result.Succeeded, result.Describe());
        Assert.Contains("autoscaling.enabled and keda.enabled are mutually exclusive", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keda_NoEnabledDestination_FailsRendering()
    {
        var result = await ChartRenders.TemplateAsync([], ["keda.enabled=true"]);

        Assert.False(result.Succeeded, result.Describe());
        Assert.Contains("keda.enabled needs at least one enabled destination", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hpa_ScaleDown_OnePodPerPeriodOfAtLeastTheGracePeriod()
    {
        var chart = await ChartRenders.RenderAsync([], ["autoscaling.enabled=true"]);

        AssertOnePodPerPeriod(chart.Single("HorizontalPodAutoscaler")["spec"]!["behavior"]!, chart);
    }

    [Fact]
    public async Task Keda_ScaleDown_SameBehaviourThroughTheHpaConfig()
    {
        var chart = await ChartRenders.RenderAsync([ValuesFile.Write(TwoGroups)], ["keda.enabled=true", "scaleDown.periodSeconds=90", "scaleDown.stabilizationWindowSeconds=120"]);

        var behavior = chart.Single("ScaledObject")["spec"]!["advanced"]!["horizontalPodAutoscalerConfig"]!["behavior"]!;
        AssertOnePodPerPeriod(behavior, chart);
        Assert.Equal(90, (int)behavior["scaleDown"]!["policies"]![0]!["periodSeconds"]!);
        Assert.Equal(120, (int)behavior["scaleDown"]!["stabilizationWindowSeconds"]!);
    }

    [Fact]
    public async Task Hpa_ScaleDownPeriodShorterThanTheGracePeriod_RaisedToIt()
    {
        var chart = await ChartRenders.RenderAsync([], ["autoscaling.enabled=true", "scaleDown.periodSeconds=20", "shutdownTimeoutSeconds=120"]);

        var policy = chart.Single("HorizontalPodAutoscaler")["spec"]!["behavior"]!["scaleDown"]!["policies"]![0]!;
        Assert.Equal(130, (int)chart.PodSpec["terminationGracePeriodSeconds"]!);
        Assert.Equal(130, (int)policy["periodSeconds"]!);
    }

    /// <summary>Each scale-in step removes one pod, and the next step comes only after that pod's grace period: one incremental rebalance at a time.</summary>
    private static void AssertOnePodPerPeriod(System.Text.Json.Nodes.JsonNode behavior, RenderedChart chart)
    {
        var scaleDown = behavior["scaleDown"]!;
        var policy = Assert.Single(scaleDown["policies"]!.AsArray())!;
        Assert.Equal("Pods", (string?)policy["type"]);
        Assert.Equal(1, (int)policy["value"]!);
        Assert.True((int)policy["periodSeconds"]! >= (int)chart.PodSpec["terminationGracePeriodSeconds"]!);
        Assert.Equal("Min", (string?)scaleDown["selectPolicy"]);
    }
}
