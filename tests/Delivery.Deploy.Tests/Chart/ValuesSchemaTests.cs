using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Chart;

public sealed class ValuesSchemaTests
{
    private const string ValidDestination = """
        delivery:
          Destinations:
            orders:
              Type: HttpBatch
              SourceTopics: [orders]
              Http:
                BaseAddress: https://api.example.com
        """;

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "negative MaxEvents", ValidDestination + "\n      Batch:\n        MaxEvents: -5\n", "delivery.Destinations.orders.Batch.MaxEvents" },
        { "zero MaxConcurrent", ValidDestination + "\n      Batch:\n        MaxConcurrent: 0\n", "MaxConcurrent" },
        { "jitter above 1", ValidDestination + "\n      Retry:\n        Jitter: 1.5\n", "Jitter" },
        { "malformed TimeSpan", ValidDestination + "\n      Batch:\n        MaxWait: soon\n", "MaxWait" },
        { "non-http BaseAddress", ValidDestination.Replace("https://api.example.com", "ftp://api.example.com", StringComparison.Ordinal), "BaseAddress" },
        { "unknown destination Type", ValidDestination.Replace("HttpBatch", "Carrier-Pigeon", StringComparison.Ordinal), "delivery.Destinations.orders.Type" },
        { "missing SourceTopics", ValidDestination.Replace("      SourceTopics: [orders]\n", "", StringComparison.Ordinal), "SourceTopics is required" },
        { "empty SourceTopics", ValidDestination.Replace("[orders]", "[]", StringComparison.Ordinal), "SourceTopics" },
        { "misspelt destination key", ValidDestination + "\n      Batchh:\n        MaxEvents: 5\n", "Batchh" },
        { "credentials in BaseAddress", ValidDestination.Replace("https://api.example.com", "https://user:pass@api.example.com", StringComparison.Ordinal), "BaseAddress" },
        { "shutdown timeout above the worker's 10 minutes", "shutdownTimeoutSeconds: 601\n", "shutdownTimeoutSeconds" },
        { "grace extra within the host's own 5 s", "terminationGraceExtraSeconds: 5\n", "terminationGraceExtraSeconds" },
        { "negative replicas", "replicaCount: -1\n", "replicaCount" },
        { "port out of range", "http:\n  port: 70000\n", "http.port" },
        { "ShutdownTimeout inside delivery", "delivery:\n  ShutdownTimeout: \"00:01:00\"\n", "ShutdownTimeout" },
        { "inline SASL password", "delivery:\n  Kafka:\n    Client:\n      sasl.password: hunter2\n", "sasl.password" },
        { "inline signature secret", ValidDestination + "\n      Settings:\n        SignatureSecret: hunter2\n", "SignatureSecret" },
        { "non-string Kafka client value", "delivery:\n  Kafka:\n    Client:\n      linger.ms: 5\n", "linger.ms" },
        { "Delivery inside extraAppSettings", "extraAppSettings:\n  Delivery:\n    Http:\n      Port: 1\n", "Property name of \"Delivery\"" },
        { "unknown group protocol", "delivery:\n  Kafka:\n    GroupProtocol: Eager\n", "delivery.Kafka.GroupProtocol" },
        { "static member id shared by every pod", "delivery:\n  Kafka:\n    Client:\n      group.instance.id: worker\n", "group.instance.id" },
        { "HPA and KEDA together", "autoscaling:\n  enabled: true\nkeda:\n  enabled: true\n", "keda.enabled" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Template_BadValue_FailsNamingTheKey(string because, string values, string expectedInMessage)
    {
        var result = await ChartRenders.TemplateAsync([ValuesFile.Write(values)], []);

        Assert.False(result.Succeeded, $"{because} should fail rendering\n{result.Describe()}");
        Assert.Contains(expectedInMessage, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_DisabledDestinationWithoutTypeOrTopics_Renders()
    {
        var result = await ChartRenders.TemplateAsync([ValuesFile.Write(ValidDestination + "\n    parked:\n      Enabled: false\n")], []);

        Assert.True(result.Succeeded, result.Describe());
        Assert.Contains("\"parked\"", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_ValidDestination_Renders()
    {
        var result = await ChartRenders.TemplateAsync([ValuesFile.Write(ValidDestination)], []);

        Assert.True(result.Succeeded, result.Describe());
    }
}
