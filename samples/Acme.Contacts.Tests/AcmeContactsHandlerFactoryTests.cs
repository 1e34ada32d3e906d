using Delivery.Core;
using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Contacts.Tests;

public sealed class AcmeContactsHandlerFactoryTests
{
    private static (IDestinationHandlerFactory Factory, DestinationOptions Options) Factory(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddAcmeContacts().BuildServiceProvider();
        // The host binds and validates the common options once and hands them to the factory.
        var options = DeliveryConfiguration.Bind(configuration, new List<string>()).Destinations.TryGetValue("crm", out var bound) ? bound : new DestinationOptions();
        return (services.GetRequiredKeyedService<IDestinationHandlerFactory>(AcmeContactsHandlerFactory.TypeName), options);
    }

    [Fact]
    public void Validate_ValidSettings_NoProblem()
    {
        var (factory, options) = Factory(new()
        {
            ["Delivery:Destinations:crm:Http:BaseAddress"] = "https://contacts.acme.example/",
            ["Delivery:Destinations:crm:Settings:ListId"] = "newsletter",
        });

        Assert.Empty(factory.Validate("crm", options));
    }

    [Fact]
    public void Validate_NothingSet_NamesBaseAddressAndListId()
    {
        var (factory, options) = Factory([]);
        var problems = factory.Validate("crm", options);

        Assert.Equal(
            ["Delivery:Destinations:crm:Http:BaseAddress: is required (an absolute http or https address)", "Delivery:Destinations:crm:Settings:ListId: is required"],
            problems);
    }

    [Theory]
    [InlineData("Http:BaseAddress", "https://contacts.acme.example/v1", "Delivery:Destinations:crm:Http:BaseAddress: must end with '/'")]
    [InlineData("Http:Timeout", "00:00:00", "Delivery:Destinations:crm:Http:Timeout: must be more than 0 and at most 00:10:00")]
    [InlineData("Settings:ListId", "news/letter", "Delivery:Destinations:crm:Settings:ListId: may hold only letters, digits, '-' and '_'")]
    public void Validate_BadValue_NamesTheKey(string key, string value, string problem)
    {
        var values = new Dictionary<string, string?>
        {
            ["Delivery:Destinations:crm:Http:BaseAddress"] = "https://contacts.acme.example/",
            ["Delivery:Destinations:crm:Settings:ListId"] = "newsletter",
        };
        values[$"Delivery:Destinations:crm:{key}"] = value;

        var (factory, options) = Factory(values);
        Assert.Equal([problem], factory.Validate("crm", options));
    }

    [Fact]
    public void Create_InvalidSettings_Throws()
    {
        var (factory, options) = Factory([]);
        Assert.Throws<InvalidOperationException>(() => factory.Create("crm", options));
    }
}
