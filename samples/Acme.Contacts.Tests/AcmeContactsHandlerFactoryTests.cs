using Delivery.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Contacts.Tests;

public sealed class AcmeContactsHandlerFactoryTests
{
    private static IDestinationHandlerFactory Factory(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddAcmeContacts().BuildServiceProvider();
        return services.GetRequiredKeyedService<IDestinationHandlerFactory>(AcmeContactsHandlerFactory.TypeName);
    }

    [Fact]
    public void Validate_ValidSettings_NoProblem()
    {
        var factory = Factory(new()
        {
            ["Delivery:Destinations:crm:Http:BaseAddress"] = "https://contacts.acme.example/",
            ["Delivery:Destinations:crm:Settings:ListId"] = "newsletter",
        });

        Assert.Empty(factory.Validate("crm"));
    }

    [Fact]
    public void Validate_NothingSet_NamesBaseAddressAndListId()
    {
        var problems = Factory([]).Validate("crm");

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

        Assert.Equal([problem], Factory(values).Validate("crm"));
    }

    [Fact]
    public void Create_InvalidSettings_Throws()
        => Assert.Throws<InvalidOperationException>(() => Factory([]).Create("crm"));
}
