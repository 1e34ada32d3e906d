using System.Text.Json.Nodes;

namespace Delivery.Deploy.Tests.Helm;

/// <summary>The manifests of one successful <c>helm template</c>.</summary>
internal sealed class RenderedChart
{
    public RenderedChart(HelmResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Describe());
        }

        Yaml = result.StandardOutput;
        Manifests = YamlJson.ParseDocuments(result.StandardOutput);
    }

    /// <summary>The raw multi-document YAML.</summary>
    public string Yaml { get; }

    public IReadOnlyList<JsonObject> Manifests { get; }

    public IEnumerable<JsonObject> OfKind(string kind) =>
        Manifests.Where(m => string.Equals((string?)m["kind"], kind, StringComparison.Ordinal));

    /// <summary>The single manifest of a kind (fails when there are none or several).</summary>
    public JsonObject Single(string kind) => Assert.Single(OfKind(kind));

    public JsonObject Deployment => Single("Deployment");

    public JsonObject PodSpec => Deployment["spec"]!["template"]!["spec"]!.AsObject();

    public JsonObject WorkerContainer => Assert.Single(PodSpec["containers"]!.AsArray())!.AsObject();

    /// <summary>The ConfigMap holding appsettings.Production.json.</summary>
    public JsonObject AppSettingsConfigMap =>
        Assert.Single(OfKind("ConfigMap"), c => c["data"]?["appsettings.Production.json"] is not null);

    public string AppSettingsJson => (string)AppSettingsConfigMap["data"]!["appsettings.Production.json"]!;

    /// <summary>The rendered Delivery section, parsed.</summary>
    public JsonObject DeliverySection => JsonNode.Parse(AppSettingsJson)!["Delivery"]!.AsObject();

    public string ConfigChecksum => (string)Deployment["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/config"]!;

    public JsonObject Env(string name) =>
        Assert.Single(WorkerContainer["env"]!.AsArray(), e => (string?)e!["name"] == name)!.AsObject();
}
