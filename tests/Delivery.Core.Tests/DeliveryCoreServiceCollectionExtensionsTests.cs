using Delivery.Core.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.Core.Tests;

public sealed class DeliveryCoreServiceCollectionExtensionsTests
{
    private static IConfiguration Config(int maxEvents) => Config(maxEvents.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static IConfiguration Config(string maxEvents) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Delivery:Kafka:BootstrapServers"] = "kafka:9092",
        ["Delivery:Destinations:orders:Type"] = "HttpBatch",
        ["Delivery:Destinations:orders:SourceTopics:0"] = "orders",
        ["Delivery:Destinations:orders:Batch:MaxEvents"] = maxEvents,
    }).Build();

    [Fact]
    public void AddDeliveryCore_ValidConfiguration_BindsDeliverySection()
    {
        using var provider = new ServiceCollection().AddDeliveryCore(Config(200)).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value;

        Assert.Equal(200, options.Destinations["orders"].Batch.MaxEvents);
        Assert.Equal("kafka:9092", options.Kafka.BootstrapServers);
    }

    [Fact]
    public void AddDeliveryCore_InvalidConfiguration_ThrowsWithKeyedLine()
    {
        using var provider = new ServiceCollection().AddDeliveryCore(Config(0)).BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeliveryOptions>>().Value);

        Assert.Equal("Delivery:Destinations:orders:Batch:MaxEvents: must be between 1 and 100000 (was 0)", Assert.Single(e.Failures));
    }

    [Fact]
    public void AddDeliveryCore_InvalidConfiguration_ValidatesOnStart()
    {
        using var provider = new ServiceCollection().AddDeliveryCore(Config(0)).BuildServiceProvider();
        var startupValidator = provider.GetRequiredService<IStartupValidator>();

        var e = Assert.Throws<OptionsValidationException>(startupValidator.Validate);

        Assert.Contains("Delivery:Destinations:orders:Batch:MaxEvents", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDeliveryCore_UnconvertibleValue_FailsNamingKeyInsteadOfDroppingDestination()
    {
        using var provider = new ServiceCollection().AddDeliveryCore(Config("abc")).BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeliveryOptions>>().Value);

        Assert.Equal("Delivery:Destinations:orders:Batch:MaxEvents: must be a whole number (was 'abc')", Assert.Single(e.Failures));
    }

    [Fact]
    public void AddDeliveryCore_ConfigurationReloaded_MonitorSeesNewValues()
    {
        var root = (IConfigurationRoot)Config(200);
        using var provider = new ServiceCollection().AddDeliveryCore(root).BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<DeliveryOptions>>();
        Assert.Equal(200, monitor.CurrentValue.Destinations["orders"].Batch.MaxEvents);

        root["Delivery:Destinations:orders:Batch:MaxEvents"] = "300";
        root.Reload();

        Assert.Equal(300, monitor.CurrentValue.Destinations["orders"].Batch.MaxEvents);
    }

    [Fact]
    public void AddDeliveryCore_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => DeliveryCoreServiceCollectionExtensions.AddDeliveryCore(null!, Config(200)));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddDeliveryCore(null!));
    }

    [Fact]
    public void AddDeliveryCore_CalledTwice_OneValidator()
    {
        var services = new ServiceCollection().AddDeliveryCore(Config(200)).AddDeliveryCore(Config(200));

        Assert.Single(services, s => s.ServiceType == typeof(IValidateOptions<DeliveryOptions>));
    }

    [Fact]
    public void AddDeliveryCore_NoClock_RegistersSystemClock()
    {
        using var provider = new ServiceCollection().AddDeliveryCore(Config(200)).BuildServiceProvider();

        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddDeliveryCore_ClockRegistered_KeepsIt()
    {
        var clock = new FakeTimeProvider();
        using var provider = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddDeliveryCore(Config(200)).BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }
}
