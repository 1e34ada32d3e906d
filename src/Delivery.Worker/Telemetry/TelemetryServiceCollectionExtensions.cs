using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Delivery.Worker.Telemetry;

/// <summary>Registers metrics, traces and the Prometheus scrape handler.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DeliveryMetrics"/> (through <c>IMeterFactory</c>), the Prometheus scrape handler and the
    /// OpenTelemetry providers as the first hosted service. Call before the pipeline registers its hosted services.
    /// </summary>
    public static IServiceCollection AddDeliveryTelemetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton<DeliveryMetrics>();
        services.TryAddSingleton<PrometheusScrapeHandler>();
        services.TryAddSingleton<TelemetryProviders>();
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<TelemetryProviders>());
        return services;
    }
}
