using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Delivery.Worker.Health;

/// <summary>Registers what /healthz needs beyond the pipeline statuses.</summary>
internal static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConsumeLoopLiveness"/> with <c>Delivery:Health:LoopStallTimeout</c> (validated, with every
    /// other key, by <c>ConfigurationValidator</c> before the host starts; a value that cannot be read falls back to
    /// the default here).
    /// </summary>
    public static IServiceCollection AddDeliveryHealth(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var timeout = Read(configuration).LoopStallTimeout;
            return new ConsumeLoopLiveness(sp.GetRequiredService<TimeProvider>(), timeout > TimeSpan.Zero ? timeout : new HealthOptions().LoopStallTimeout);
        });
        return services;
    }

    /// <summary>Binds <c>Delivery:Health</c>; null <paramref name="failures"/> ignores a value that cannot be converted.</summary>
    public static HealthOptions Read(IConfiguration configuration, ICollection<string>? failures = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new HealthOptions();
        try
        {
            configuration.GetSection(HealthOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException)
        {
            failures?.Add($"{HealthOptions.SectionName}:{nameof(HealthOptions.LoopStallTimeout)}: must be a duration such as 00:02:00 (hh:mm:ss)");
            return new HealthOptions();
        }

        return options;
    }
}
