using Delivery.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Acme.Contacts;

/// <summary>Registers the <c>AcmeContacts</c> destination type.</summary>
public static class AcmeContactsServiceCollectionExtensions
{
    /// <summary>Adds <see cref="AcmeContactsHandlerFactory"/> as the keyed factory of type <c>AcmeContacts</c>, and what it needs.</summary>
    public static IServiceCollection AddAcmeContacts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHttpClient();
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton<IDestinationHandlerFactory, AcmeContactsHandlerFactory>(AcmeContactsHandlerFactory.TypeName);
        return services;
    }
}
