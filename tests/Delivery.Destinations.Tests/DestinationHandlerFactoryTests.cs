using Delivery.Core.Options;
using Delivery.Destinations.Tests.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Destinations.Tests;

/// <summary>
/// What the one factory of every HTTP type checks itself (Http:BaseAddress present, Path, RequireAnyOf) and what it
/// leaves to Core, which validates Http once for every destination.
/// </summary>
public sealed class DestinationHandlerFactoryTests
{
    public static TheoryData<string> Types => ["HttpBatch", "Nakadi", "ElasticsearchBulk", "Webhook"];

    private static Dictionary<string, string?> Valid(string type) => new()
    {
        ["Delivery:Destinations:d:Type"] = type,
        ["Delivery:Destinations:d:Http:BaseAddress"] = "http://127.0.0.1:9/",
        ["Delivery:Destinations:d:Settings:EventType"] = "e",
        ["Delivery:Destinations:d:Settings:Index"] = "i",
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Validate_NoBaseAddress_RequiredByEveryHttpType(string type)
    {
        var settings = Valid(type);
        settings.Remove("Delivery:Destinations:d:Http:BaseAddress");
        using var host = new DestinationHost(settings);

        Assert.Equal(["Delivery:Destinations:d:Http:BaseAddress: is required"], host.Validate(type, "d"));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Validate_AbsolutePath_NamesSettingsPath(string type)
    {
        var settings = Valid(type);
        settings["Delivery:Destinations:d:Settings:Path"] = "https://elsewhere.example/x";
        using var host = new DestinationHost(settings);

        Assert.Equal(
            ["Delivery:Destinations:d:Settings:Path: must be a path relative to Http:BaseAddress, without scheme, query or fragment"],
            host.Validate(type, "d"));
    }

    [Theory]
    [InlineData("hooks?token=1")]
    [InlineData("hooks#part")]
    public void Validate_PathWithQueryOrFragment_NamesSettingsPath(string path)
    {
        var settings = Valid("Webhook");
        settings["Delivery:Destinations:d:Settings:Path"] = path;
        using var host = new DestinationHost(settings);

        Assert.Single(host.Validate("Webhook", "d"), l => l.StartsWith("Delivery:Destinations:d:Settings:Path: ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Validate_BadRequireAnyOf_NamesTheElement(string type)
    {
        var settings = Valid(type);
        settings["Delivery:Destinations:d:Settings:RequireAnyOf:0"] = "$.ok";
        settings["Delivery:Destinations:d:Settings:RequireAnyOf:1"] = "not-a-path";
        using var host = new DestinationHost(settings);

        Assert.Equal(
            ["Delivery:Destinations:d:Settings:RequireAnyOf:1: 'not-a-path' is not a supported JSON path ($.a.b, $.a[0], $['a b'])"],
            host.Validate(type, "d"));
    }

    [Theory]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("Timeout", "01:00:00")]
    [InlineData("MaxResponseBytes", "1")]
    [InlineData("BaseAddress", "ftp://example.org/")]
    public void Validate_HttpValueCoreRejects_NotReportedAgainByTheType(string key, string value)
    {
        // Http is validated in one place (DeliveryOptionsValidator); the type's lines never repeat it.
        var settings = Valid("HttpBatch");
        settings[$"Delivery:Destinations:d:Http:{key}"] = value;
        using var host = new DestinationHost(settings);

        Assert.Contains(DeliveryConfiguration.Validate(host.Configuration), l => l.StartsWith($"Delivery:Destinations:d:Http:{key}: ", StringComparison.Ordinal));
        Assert.Empty(host.Validate("HttpBatch", "d"));
    }

    [Fact]
    public void Create_UsesTheGivenOptionsNotTheConfiguration()
    {
        // The factory builds from the validated options it is handed; it does not bind the destination again.
        using var host = new DestinationHost(Valid("Webhook"));
        var options = new DestinationOptions { Type = "Webhook" };

        var ex = Assert.Throws<InvalidOperationException>(() => host.Factory("Webhook").Create("d", options));

        Assert.Equal("Delivery:Destinations:d:Http:BaseAddress: is required", ex.Message);
    }

    [Fact]
    public void Validate_NullOptions_Throws()
    {
        using var host = new DestinationHost(Valid("Webhook"));

        Assert.Throws<ArgumentNullException>(() => host.Factory("Webhook").Validate("d", null!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void New_NullArgument_Throws(int position)
    {
        using var host = new DestinationHost(Valid("Webhook"));
        object?[] arguments =
        [
            host.Configuration,
            host.Services.GetRequiredService<IHttpClientFactory>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            TimeProvider.System,
            host.Services.GetRequiredService<DestinationMetrics>(),
            new Func<HandlerContext<Delivery.Destinations.Webhook.WebhookSettings>, Core.IDestinationHandler>(c => new Delivery.Destinations.Webhook.WebhookHandler(c)),
        ];
        arguments[position] = null;

        var ex = Assert.Throws<System.Reflection.TargetInvocationException>(() => Activator.CreateInstance(typeof(DestinationHandlerFactory<Delivery.Destinations.Webhook.WebhookSettings>), arguments));

        Assert.IsType<ArgumentNullException>(ex.InnerException);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_BlankDestination_Throws(string destination)
    {
        using var host = new DestinationHost(Valid("Webhook"));

        Assert.Throws<ArgumentException>(() => host.Factory("Webhook").Validate(destination, new DestinationOptions()));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task SendBatchAsync_NullBatch_Throws(string type)
    {
        using var host = new DestinationHost(Valid(type));

        await Assert.ThrowsAsync<ArgumentNullException>(() => host.CreateHandler(type, "d").SendBatchAsync(null!, CancellationToken.None).AsTask());
    }

    [Fact]
    public void HandlerConstructors_NullContext_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new Delivery.Destinations.HttpBatch.HttpBatchHandler(null!));
        Assert.Throws<ArgumentNullException>(() => new Delivery.Destinations.Nakadi.NakadiHandler(null!));
        Assert.Throws<ArgumentNullException>(() => new Delivery.Destinations.Elasticsearch.ElasticsearchBulkHandler(null!));
        Assert.Throws<ArgumentNullException>(() => new Delivery.Destinations.Webhook.WebhookHandler(null!));
    }

    [Theory]
    [InlineData("HttpBatch", "/")]
    [InlineData("Webhook", "/")]
    [InlineData("ElasticsearchBulk", "/_bulk")]
    [InlineData("Nakadi", "/event-types/e/events")]
    public async Task SendBatchAsync_NoPath_TheTypesDefaultPath(string type, string path)
    {
        await using var server = await ScriptedServer.StartAsync(200, "{\"errors\":false}");
        var settings = Valid(type);
        settings["Delivery:Destinations:d:Http:BaseAddress"] = server.BaseAddress.ToString();
        using var host = new DestinationHost(settings);

        await host.CreateHandler(type, "d").SendBatchAsync(Events.Batch(1), CancellationToken.None);

        Assert.Equal(path, server.Requests.Single().Path);
    }
}
