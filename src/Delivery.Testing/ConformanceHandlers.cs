using Delivery.Core;
using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Delivery.Testing;

/// <summary>
/// Builds handlers the way the worker does: a destination type's <see cref="IDestinationHandlerFactory"/>, resolved
/// by its type name from a service collection, over configuration that points the destination at the kit's server.
/// </summary>
public static class ConformanceHandlers
{
    /// <summary>
    /// A <c>createHandler</c> for <see cref="DestinationConformance.RunAsync"/>: per scenario, a service provider with
    /// configuration <c>Delivery:Destinations:{destination}:Type = typeName</c>, <c>Http:BaseAddress</c> = the kit's
    /// server, <c>Http:Timeout</c> = the kit's request timeout, plus <paramref name="settings"/> (keys relative to the
    /// destination, e.g. <c>Settings:Index</c>); <paramref name="register"/> adds the factory (e.g.
    /// <c>services.AddDeliveryDestinations(configuration)</c>). The factory's <c>Validate</c> must find no problem.
    /// </summary>
    public static Func<ConformanceTarget, IDestinationHandler> FromFactory(
        string typeName,
        Action<IServiceCollection, IConfiguration> register,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        ArgumentNullException.ThrowIfNull(register);
        return target =>
        {
            var prefix = $"Delivery:Destinations:{target.Destination}";
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                [$"{prefix}:Type"] = typeName,
                [$"{prefix}:Http:BaseAddress"] = target.BaseAddress.ToString(),
                [$"{prefix}:Http:Timeout"] = target.RequestTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key.StartsWith("Delivery:", StringComparison.OrdinalIgnoreCase) ? key : $"{prefix}:{key}"] = value;
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(configuration);
            services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
            services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
            register(services, configuration);
            var provider = services.BuildServiceProvider();
            try
            {
                var factory = provider.GetRequiredKeyedService<IDestinationHandlerFactory>(typeName);
                // The host's part: bind the common options once and hand them to the factory.
                var options = DeliveryConfiguration.Bind(configuration, new List<string>()).Destinations.TryGetValue(target.Destination, out var bound) ? bound : new DestinationOptions();
                var problems = factory.Validate(target.Destination, options);
                if (problems.Count > 0)
                {
                    throw new InvalidOperationException($"The {typeName} settings are not valid: {string.Join("; ", problems)}");
                }

                return new OwnedHandler(factory.Create(target.Destination, options), provider);
            }
            catch
            {
                provider.Dispose();
                throw;
            }
        };
    }
}
