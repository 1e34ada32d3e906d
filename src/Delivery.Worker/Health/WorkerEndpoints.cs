using Delivery.Worker.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Delivery.Worker.Health;

/// <summary>Maps /healthz, /readyz and /metrics.</summary>
internal static class WorkerEndpoints
{
    /// <summary>Maps the operational endpoints.</summary>
    public static IEndpointRouteBuilder MapWorkerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", static (HttpContext context) =>
        {
            var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
            var stalled = context.RequestServices.GetService<ConsumeLoopLiveness>()?.Stalled();
            var (alive, report) = HealthEvaluator.Liveness(Statuses(context.RequestServices), lifetime.ApplicationStopping.IsCancellationRequested, stalled);
            return Results.Json(report, HealthJsonContext.Default.HealthReport, statusCode: alive ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        endpoints.MapGet("/readyz", static (HttpContext context) =>
        {
            var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
            var (ready, report) = HealthEvaluator.Readiness(Statuses(context.RequestServices), lifetime.ApplicationStopping.IsCancellationRequested);
            return Results.Json(report, HealthJsonContext.Default.HealthReport, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }

    private static IReadOnlyList<DestinationStatus> Statuses(IServiceProvider services) =>
        services.GetService<IPipelineStatusSource>()?.Snapshot() ?? [];
}
