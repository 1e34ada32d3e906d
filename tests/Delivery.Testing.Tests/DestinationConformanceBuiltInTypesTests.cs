using Delivery.Destinations;

using Delivery.Testing.Tests.BuiltIn;

namespace Delivery.Testing.Tests;

/// <summary>The four built-in destination types pass the conformance kit, built through their factories as the worker does.</summary>
public sealed class DestinationConformanceBuiltInTypesTests
{
    [Fact]
    public async Task HttpBatch_ConformanceKit_Passes()
        => await PassesAsync("HttpBatch", BuiltInApis.HttpBatch, new Dictionary<string, string?>(BuiltInApis.RequireContact) { ["Settings:Path"] = "v1/track" });

    [Fact]
    public async Task Nakadi_ConformanceKit_Passes()
        => await PassesAsync("Nakadi", BuiltInApis.Nakadi, new Dictionary<string, string?>(BuiltInApis.RequireContact) { ["Settings:EventType"] = "order.created" });

    [Fact]
    public async Task ElasticsearchBulk_ConformanceKit_Passes()
        => await PassesAsync("ElasticsearchBulk", BuiltInApis.Elasticsearch, new Dictionary<string, string?>(BuiltInApis.RequireContact) { ["Settings:Index"] = "conformance" });

    [Fact]
    public async Task Webhook_ConformanceKit_Passes()
        => await PassesAsync("Webhook", BuiltInApis.Webhook, new Dictionary<string, string?>(BuiltInApis.RequireContact) { ["Settings:Path"] = "hooks/orders" });

    private static async Task PassesAsync(string type, Func<ApiExchange, ApiAnswer> answer, Dictionary<string, string?> settings)
    {
        var report = await DestinationConformance.RunAsync(
            ConformanceHandlers.FromFactory(type, (services, configuration) => services.AddDeliveryDestinations(configuration), settings),
            new ConformanceOptions { Answer = answer, InvalidEvent = BuiltInApis.WithoutContact });

        ConformanceAssert.Passes(report);
        Assert.Empty(report.NotRun);
        Assert.Equal(20, report.Scenarios.Count);
        Assert.True(report.Scenarios.Single(s => s.Name == "partial-207").Requests >= 1);
    }
}
