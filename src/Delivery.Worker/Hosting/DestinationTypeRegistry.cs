using Delivery.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Hosting;

/// <summary>The destination types registered as keyed <see cref="IDestinationHandlerFactory"/> services.</summary>
/// <param name="Types">Type names, sorted.</param>
internal sealed record DestinationTypeRegistry(IReadOnlyList<string> Types)
{
    /// <summary>Reads the keyed factory registrations of <paramref name="services"/>.</summary>
    public static DestinationTypeRegistry From(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var types = services
            .Where(static d => d.IsKeyedService && d.ServiceType == typeof(IDestinationHandlerFactory) && d.ServiceKey is string)
            .Select(static d => (string)d.ServiceKey!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return new DestinationTypeRegistry(types);
    }
}
