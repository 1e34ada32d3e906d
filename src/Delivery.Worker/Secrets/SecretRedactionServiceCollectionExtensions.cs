using Delivery.Core;
using Delivery.Core.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Delivery.Worker.Secrets;

/// <summary>Registers the worker's one <see cref="SecretRedactor"/> and puts it in front of every destination type.</summary>
internal static class SecretRedactionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="redactor"/> and replaces every keyed <see cref="IDestinationHandlerFactory"/>
    /// registered so far with a <see cref="RedactingDestinationHandlerFactory"/> around it. Call after every
    /// destination type is registered.
    /// </summary>
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(redactor);
        services.TryAddSingleton(redactor);
        var factories = services.Where(static d => d.IsKeyedService && d.ServiceType == typeof(IDestinationHandlerFactory)).ToArray();
        foreach (var descriptor in factories)
        {
            services.Remove(descriptor);
            services.Add(new ServiceDescriptor(
                typeof(IDestinationHandlerFactory),
                descriptor.ServiceKey,
                (sp, key) => new RedactingDestinationHandlerFactory(Create(sp, descriptor, key), sp.GetRequiredService<SecretRedactor>()),
                descriptor.Lifetime));
        }

        return services;
    }

    private static IDestinationHandlerFactory Create(IServiceProvider services, ServiceDescriptor descriptor, object? key)
    {
        if (descriptor.KeyedImplementationInstance is IDestinationHandlerFactory instance)
        {
            return instance;
        }

        if (descriptor.KeyedImplementationFactory is { } factory)
        {
            return (IDestinationHandlerFactory)factory(services, key);
        }

        return (IDestinationHandlerFactory)ActivatorUtilities.CreateInstance(services, descriptor.KeyedImplementationType!);
    }
}
