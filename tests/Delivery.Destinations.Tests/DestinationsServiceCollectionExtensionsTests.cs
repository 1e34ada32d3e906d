using Delivery.Core;
using Delivery.Core.Options;
using Delivery.Destinations.Elasticsearch;
using Delivery.Destinations.HttpBatch;
using Delivery.Destinations.Nakadi;
using Delivery.Destinations.Tests.Testing;
using Delivery.Destinations.Webhook;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Destinations.Tests;

public sealed class DestinationsServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData("HttpBatch", typeof(HttpBatchHandler))]
    [InlineData("Nakadi", typeof(NakadiHandler))]
    [InlineData("ElasticsearchBulk", typeof(ElasticsearchBulkHandler))]
    [InlineData("Webhook", typeof(WebhookHandler))]
    public void AddDeliveryDestinations_KeyedFactoryPerType_CreatesThatHandler(string type, Type handlerType)
    {
        using var host = new DestinationHost(new Dictionary<string, string?>
        {
            ["Delivery:Destinations:d:Type"] = type,
            ["Delivery:Destinations:d:Http:BaseAddress"] = "http://127.0.0.1:9/",
            ["Delivery:Destinations:d:Settings:EventType"] = "e",
            ["Delivery:Destinations:d:Settings:Index"] = "i",
        });

        var factory = host.Services.GetRequiredKeyedService<IDestinationHandlerFactory>(type);

        Assert.Empty(factory.Validate("d", host.Options("d")));
        Assert.IsType(handlerType, factory.Create("d", host.Options("d")));
        Assert.Same(factory, host.Services.GetRequiredKeyedService<IDestinationHandlerFactory>(type));
    }

    [Fact]
    public void Validate_MissingRequiredKeys_OneLinePerProblemNamingTheKey()
    {
        using var host = new DestinationHost(new Dictionary<string, string?>
        {
            ["Delivery:Destinations:orders:Type"] = "Nakadi",
            ["Delivery:Destinations:orders:Settings:MaxResendRounds"] = "11",
            ["Delivery:Destinations:orders:Settings:RequireAnyOf:0"] = "$.email",
            ["Delivery:Destinations:orders:Settings:RequireAnyOf:1"] = "email",
        });

        var lines = host.Validate("Nakadi", "orders");

        Assert.Equal(
            [
                "Delivery:Destinations:orders:Http:BaseAddress: is required",
                "Delivery:Destinations:orders:Settings:EventType: is required",
                "Delivery:Destinations:orders:Settings:MaxResendRounds: must be between 0 and 10",
                "Delivery:Destinations:orders:Settings:RequireAnyOf:1: 'email' is not a supported JSON path ($.a.b, $.a[0], $['a b'])",
            ],
            lines);
    }

    [Fact]
    public void Validate_HttpProblems_NameHttpKeys()
    {
        using var host = new DestinationHost(new Dictionary<string, string?>
        {
            ["Delivery:Destinations:es:Http:BaseAddress"] = "ftp://example.org/",
            ["Delivery:Destinations:es:Http:BearerTokenFile"] = "/run/token",
            ["Delivery:Destinations:es:Http:BasicAuthUser"] = "u",
            ["Delivery:Destinations:es:Http:BasicAuthPasswordFile"] = "/run/password",
            ["Delivery:Destinations:es:Settings:Index"] = "Orders",
            ["Delivery:Destinations:es:Settings:Action"] = "update",
        });

        // Http is validated once, by Core, for every destination; the type adds its Settings lines.
        var lines = DeliveryConfiguration.Validate(host.Configuration).Concat(host.Validate("ElasticsearchBulk", "es")).ToList();

        Assert.Contains("Delivery:Destinations:es:Http:BaseAddress: must be an absolute http or https URI (the scheme was 'ftp')", lines);
        Assert.Contains(lines, l => l.StartsWith("Delivery:Destinations:es:Http:BasicAuthUser: basic auth and a bearer token exclude each other", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Delivery:Destinations:es:Settings:Index: must be lowercase", StringComparison.Ordinal));
        Assert.Contains("Delivery:Destinations:es:Settings:Action: must be 'index' or 'create'", lines);
    }

    [Fact]
    public void Validate_UnconvertibleValue_LineNamesTheKey()
    {
        using var host = new DestinationHost(new Dictionary<string, string?>
        {
            ["Delivery:Destinations:hook:Http:BaseAddress"] = "http://127.0.0.1:9/",
            ["Delivery:Destinations:hook:Settings:MaxParallel"] = "many",
        });

        var line = Assert.Single(host.Validate("Webhook", "hook"));

        Assert.StartsWith("Delivery:Destinations:hook:Settings:", line, StringComparison.Ordinal);
        Assert.Contains("MaxParallel", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WebhookMaxParallelZero_NamesKey()
    {
        using var host = new DestinationHost(new Dictionary<string, string?>
        {
            ["Delivery:Destinations:hook:Http:BaseAddress"] = "http://127.0.0.1:9/",
            ["Delivery:Destinations:hook:Settings:MaxParallel"] = "0",
        });

        Assert.Equal(["Delivery:Destinations:hook:Settings:MaxParallel: must be between 1 and 256"], host.Validate("Webhook", "hook"));
    }

    [Fact]
    public void Create_InvalidSettings_ThrowsWithTheValidateLines()
    {
        using var host = new DestinationHost(new Dictionary<string, string?>
        {
            ["Delivery:Destinations:orders:Http:BaseAddress"] = "http://127.0.0.1:9/",
        });

        var ex = Assert.Throws<InvalidOperationException>(() => host.CreateHandler("Nakadi", "orders"));

        Assert.Equal("Delivery:Destinations:orders:Settings:EventType: is required", ex.Message);
    }

    [Fact]
    public void AddDeliveryDestinations_Nulls_Throw()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();

        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddDeliveryDestinations(configuration));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddDeliveryDestinations(null!));
    }

    [Fact]
    public void DestinationMetrics_NullMeterFactory_Throws() => Assert.Throws<ArgumentNullException>(() => new DestinationMetrics(null!));
}
