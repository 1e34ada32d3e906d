using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;

namespace Delivery.Core.Tests.Options;

public sealed class DeliveryOrderingTests
{
    private const string D = "Delivery:Destinations:orders";

    [Fact]
    public void Ordering_NotConfigured_DefaultsToNone()
        => Assert.Equal(DeliveryOrdering.None, new DestinationOptions().Ordering);

    [Theory]
    [InlineData(DeliveryOrdering.None)]
    [InlineData(DeliveryOrdering.PerKey)]
    public void Check_OrderingDefined_Passes(DeliveryOrdering ordering)
    {
        var options = ValidOptions.Create();
        options.Orders().Ordering = ordering;

        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_OrderingUndefinedNumber_NamesKeyAndValue()
    {
        var options = ValidOptions.Create();
        options.Orders().Ordering = (DeliveryOrdering)5;

        var line = Assert.Single(DeliveryOptionsValidator.Check(options));

        Assert.Equal($"{D}:Ordering: must be None or PerKey (was 5)", line);
    }

    [Fact]
    public void Bind_PerKeyText_BindsPerKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Ordering"] = "PerKey" })
            .Build();

        Assert.Equal(DeliveryOrdering.PerKey, configuration.Get<DestinationOptions>()!.Ordering);
    }
}
