using System.Text.Json.Nodes;
using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Chart;

public sealed class SecretReferenceTests
{
    private const string Sentinel = "sentinel7f3a";

    private const string SentinelValues = $$"""
        delivery:
          Kafka:
            Client:
              security.protocol: SASL_SSL
              sasl.mechanism: PLAIN
          Destinations:
            orders:
              Type: HttpBatch
              SourceTopics: [orders]
              Http:
                BaseAddress: https://api.example.com
                BearerTokenFile: /var/run/secrets/delivery/orders/token
            search:
              Type: ElasticsearchBulk
              SourceTopics: [orders]
              Http:
                BaseAddress: https://search.example.com
                BearerTokenEnvironmentVariable: SEARCH_TOKEN
        kafka:
          sasl:
            existingSecret: {{Sentinel}}-kafka
            usernameKey: {{Sentinel}}-username-key
            passwordKey: {{Sentinel}}-password-key
        secretFiles:
          orders:
            secretName: {{Sentinel}}-files
            items: [token]
        secretEnv:
          - name: SEARCH_TOKEN
            secretName: {{Sentinel}}-env
            key: {{Sentinel}}-env-key
        """;

    [Fact]
    public async Task ConfigMaps_SentinelSecretReferences_NeverContainThem()
    {
        var chart = await ChartRenders.RenderAsync([ValuesFile.Write(SentinelValues)], []);

        Assert.Contains(Sentinel, chart.Yaml, StringComparison.Ordinal);
        var configMaps = chart.OfKind("ConfigMap").ToList();
        Assert.Equal(2, configMaps.Count);
        Assert.All(configMaps, c => Assert.DoesNotContain(Sentinel, c.ToJsonString(), StringComparison.Ordinal));
        Assert.Empty(chart.OfKind("Secret"));
    }

    [Fact]
    public async Task Deployment_SentinelSecretReferences_AppearOnlyAsSecretKeyRefsAndSecretVolumes()
    {
        var chart = await ChartRenders.RenderAsync([ValuesFile.Write(SentinelValues)], []);

        var hits = StringsContaining(chart.Deployment, "$").ToList();

        Assert.Equal(7, hits.Count); // kafka secret name twice, its two keys, the env secret and key, the file secret
        Assert.All(hits, path => Assert.Matches(@"(\.secretKeyRef\.(name|key)|\.secret\.secretName)$", path));
        Assert.All(chart.Manifests.Where(m => (string?)m["kind"] != "Deployment"),
            m => Assert.Empty(StringsContaining(m, "$")));

        var password = chart.Env("Delivery__Kafka__Client__sasl.password")["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal($"{Sentinel}-kafka", (string?)password["name"]);
        Assert.Equal($"{Sentinel}-password-key", (string?)password["key"]);
        var username = chart.Env("Delivery__Kafka__Client__sasl.username")["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal($"{Sentinel}-username-key", (string?)username["key"]);
        var token = chart.Env("SEARCH_TOKEN")["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal($"{Sentinel}-env-key", (string?)token["key"]);
        Assert.All(chart.WorkerContainer["env"]!.AsArray(),
            e => Assert.False(e!["value"] is not null && e["valueFrom"] is not null, "env with both value and valueFrom"));
    }

    [Fact]
    public async Task KafkaSasl_NoExistingSecret_NoCredentialEnvironment()
    {
        var chart = await ChartRenders.DefaultsAsync();

        Assert.DoesNotContain(chart.WorkerContainer["env"]!.AsArray(),
            e => ((string)e!["name"]!).StartsWith("Delivery__Kafka__Client__sasl", StringComparison.Ordinal));
    }

    private static IEnumerable<string> StringsContaining(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.SelectMany(p => StringsContaining(p.Value, $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((item, i) => StringsContaining(item, $"{path}[{i}]")),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Contains(Sentinel, StringComparison.Ordinal) => [path],
        _ => [],
    };
}
