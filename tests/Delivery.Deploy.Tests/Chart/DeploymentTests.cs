using System.Globalization;
using System.Text.Json.Nodes;
using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Chart;

public sealed class DeploymentTests
{
    public static TheoryData<string> Variants => new() { "defaults", "two-destinations", "port-9090", "shutdown-120" };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Probes_AnyVariant_HitTheWorkerEndpointsOnTheConfiguredPort(string variant)
    {
        var chart = await RenderVariantAsync(variant);
        var container = chart.WorkerContainer;
        var configuredPort = (int)chart.DeliverySection["Http"]!["Port"]!;

        var httpPort = Assert.Single(container["ports"]!.AsArray(), p => (string?)p!["name"] == "http")!;
        Assert.Equal(configuredPort, (int)httpPort["containerPort"]!);
        AssertProbe(container, "livenessProbe", "/healthz", configuredPort);
        AssertProbe(container, "readinessProbe", "/readyz", configuredPort);
        AssertProbe(container, "startupProbe", "/healthz", configuredPort);
        var servicePort = Assert.Single(chart.Single("Service")["spec"]!["ports"]!.AsArray())!;
        Assert.Equal("http", (string?)servicePort["targetPort"]);
    }

    [Fact]
    public async Task HttpPort_Set_IsTheWorkerPortInConfigAndContainer()
    {
        var chart = await RenderVariantAsync("port-9090");

        Assert.Equal(9090, (int)chart.DeliverySection["Http"]!["Port"]!);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task TerminationGracePeriod_AnyVariant_ExceedsTheRenderedShutdownTimeout(string variant)
    {
        var chart = await RenderVariantAsync(variant);

        var shutdown = TimeSpan.Parse((string)chart.DeliverySection["ShutdownTimeout"]!, CultureInfo.InvariantCulture);
        var grace = TimeSpan.FromSeconds((int)chart.PodSpec["terminationGracePeriodSeconds"]!);

        Assert.True(grace > shutdown, $"terminationGracePeriodSeconds {grace} must exceed ShutdownTimeout {shutdown}");
    }

    [Fact]
    public async Task ShutdownTimeoutSeconds_Set_DrivesBothShutdownTimeoutAndGracePeriod()
    {
        var chart = await RenderVariantAsync("shutdown-120");

        Assert.Equal("00:02:00", (string?)chart.DeliverySection["ShutdownTimeout"]);
        Assert.Equal(130, (int)chart.PodSpec["terminationGracePeriodSeconds"]!);
    }

    [Fact]
    public async Task SecurityContext_Defaults_NonRootReadOnlyNoCapabilitiesRuntimeDefaultSeccomp()
    {
        var chart = await ChartRenders.DefaultsAsync();
        var container = chart.WorkerContainer["securityContext"]!;
        var pod = chart.PodSpec["securityContext"]!;

        Assert.True((bool)container["runAsNonRoot"]!);
        Assert.Equal(10001, (int)container["runAsUser"]!);
        Assert.True((bool)container["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], container["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("RuntimeDefault", (string?)container["seccompProfile"]!["type"]);
        Assert.True((bool)pod["runAsNonRoot"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["seccompProfile"]!["type"]);
        Assert.False((bool)chart.PodSpec["automountServiceAccountToken"]!);
    }

    [Fact]
    public async Task Volumes_Defaults_WritableTmpAndConfigFileInTheAppDirectory()
    {
        var chart = await ChartRenders.DefaultsAsync();
        var mounts = chart.WorkerContainer["volumeMounts"]!.AsArray();
        var volumes = chart.PodSpec["volumes"]!.AsArray();

        var tmp = Assert.Single(mounts, m => (string?)m!["mountPath"] == "/tmp")!;
        var tmpVolume = Assert.Single(volumes, v => (string?)v!["name"] == (string?)tmp["name"])!;
        Assert.NotNull(tmpVolume["emptyDir"]);
        Assert.NotEqual(true, (bool?)tmp["readOnly"]);

        var config = Assert.Single(mounts, m => (string?)m!["mountPath"] == "/app/appsettings.Production.json")!;
        Assert.Equal("appsettings.Production.json", (string?)config["subPath"]);
        var configVolume = Assert.Single(volumes, v => (string?)v!["name"] == (string?)config["name"])!;
        Assert.Equal((string?)chart.AppSettingsConfigMap["metadata"]!["name"], (string?)configVolume["configMap"]!["name"]);
        Assert.Equal("Production", (string?)chart.Env("DOTNET_ENVIRONMENT")["value"]);
    }

    [Fact]
    public async Task TopologySpread_Defaults_SelectsTheWorkerPods()
    {
        var chart = await ChartRenders.DefaultsAsync();
        var selector = chart.Deployment["spec"]!["selector"]!["matchLabels"]!;

        var constraints = chart.PodSpec["topologySpreadConstraints"]!.AsArray();

        Assert.NotEmpty(constraints);
        Assert.Contains(constraints, c => (string?)c!["topologyKey"] == "kubernetes.io/hostname");
        Assert.All(constraints, c => Assert.True(JsonNode.DeepEquals(selector, c!["labelSelector"]!["matchLabels"])));
    }

    [Fact]
    public async Task ChecksumAnnotation_DeliveryValueChanged_Changes()
    {
        var baseline = await ChartRenders.DefaultsAsync();
        var same = await ChartRenders.RenderAsync([ValuesFile.Write("replicaCount: 3\n")], []);
        var changed = await ChartRenders.RenderAsync([], ["delivery.Kafka.BootstrapServers=other-kafka:9092"]);
        var shutdown = await ChartRenders.RenderAsync([], ["shutdownTimeoutSeconds=120"]);

        Assert.Matches("^[0-9a-f]{64}$", baseline.ConfigChecksum);
        Assert.Equal(baseline.ConfigChecksum, same.ConfigChecksum);
        Assert.NotEqual(baseline.ConfigChecksum, changed.ConfigChecksum);
        Assert.NotEqual(baseline.ConfigChecksum, shutdown.ConfigChecksum);
    }

    [Fact]
    public async Task OtelEnvironment_Example_FromValuesWithFullnameServiceName()
    {
        var defaults = await ChartRenders.DefaultsAsync();
        var example = await ChartRenders.TwoDestinationsAsync();

        Assert.Equal((string?)defaults.Deployment["metadata"]!["name"], (string?)defaults.Env("OTEL_SERVICE_NAME")["value"]);
        Assert.DoesNotContain(defaults.WorkerContainer["env"]!.AsArray(), e => (string?)e!["name"] == "OTEL_EXPORTER_OTLP_ENDPOINT");
        Assert.Equal("http://otel-collector.observability:4317", (string?)example.Env("OTEL_EXPORTER_OTLP_ENDPOINT")["value"]);
        Assert.Equal("grpc", (string?)example.Env("OTEL_EXPORTER_OTLP_PROTOCOL")["value"]);
        Assert.Contains("deployment.environment=production", (string?)example.Env("OTEL_RESOURCE_ATTRIBUTES")["value"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicas_NoAutoscaler_SetFromValues_AutoscalerOwnsThemOtherwise()
    {
        var fixedReplicas = await ChartRenders.RenderAsync([], ["replicaCount=4"]);
        var keda = await ChartRenders.TwoDestinationsAsync();

        Assert.Equal(4, (int)fixedReplicas.Deployment["spec"]!["replicas"]!);
        Assert.Null(keda.Deployment["spec"]!["replicas"]);
    }

    internal static Task<RenderedChart> RenderVariantAsync(string variant) => variant switch
    {
        "defaults" => ChartRenders.DefaultsAsync(),
        "two-destinations" => ChartRenders.TwoDestinationsAsync(),
        "port-9090" => ChartRenders.RenderAsync([RepositoryPaths.TwoDestinationsExample], ["http.port=9090"]),
        "shutdown-120" => ChartRenders.RenderAsync([RepositoryPaths.TwoDestinationsExample], ["shutdownTimeoutSeconds=120"]),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown variant"),
    };

    private static void AssertProbe(JsonNode container, string probe, string path, int port)
    {
        var get = container[probe]?["httpGet"];
        Assert.True(get is not null, $"{probe} has no httpGet");
        Assert.Equal(path, (string?)get!["path"]);
        var probePort = get["port"]!;
        var resolved = probePort.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? (int)probePort
            : (int)Assert.Single(container["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)probePort)!["containerPort"]!;
        Assert.Equal(port, resolved);
    }
}
