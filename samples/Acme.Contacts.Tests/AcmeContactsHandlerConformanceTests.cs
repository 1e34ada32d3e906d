using Acme.Contacts.Worker;
using Delivery.Testing;

namespace Acme.Contacts.Tests;

/// <summary>The Acme Contacts destination keeps the handler contract: the conformance kit, through its factory as the worker builds it.</summary>
public sealed class AcmeContactsHandlerConformanceTests
{
    [Fact]
    public async Task AcmeContacts_ConformanceKit_Passes()
    {
        var report = await DestinationConformance.RunAsync(
            ConformanceHandlers.FromFactory(
                AcmeContactsHandlerFactory.TypeName,
                (services, _) => services.AddAcmeContacts(),
                new Dictionary<string, string?> { ["Settings:ListId"] = "newsletter" }),
            new ConformanceOptions { Answer = AcmeContactsApi.Answer, InvalidEvent = AcmeContactsApi.ContactWithoutEmailOrPhone });

        ConformanceAssert.Passes(report);
        Assert.Empty(report.NotRun);
    }

    [Fact]
    public async Task AcmeContactsHandler_BuiltDirectly_Passes()
    {
        await DestinationConformance.AssertConformsAsync(
            target => new AcmeContactsHandler(
                new HttpClient { BaseAddress = target.BaseAddress, Timeout = target.RequestTimeout },
                new AcmeContactsSettings { ListId = "newsletter" },
                TimeProvider.System),
            new ConformanceOptions { Answer = AcmeContactsApi.Answer, InvalidEvent = AcmeContactsApi.ContactWithoutEmailOrPhone });
    }
}
