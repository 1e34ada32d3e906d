using System.Globalization;
using System.Net;
using Delivery.Core.Options;
using Delivery.Core.Secrets;
using Delivery.Destinations;
using Delivery.Worker.Health;
using Delivery.Worker.Logging;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Secrets;
using Delivery.Worker.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Hosting;

/// <summary>
/// Builds the worker host: a slim <see cref="WebApplication"/> (Kestrel on <c>Delivery:Http:Port</c>, 0 disables it)
/// with Serilog, telemetry, /healthz, /readyz, /metrics, the Kafka pipelines and the destination types.
/// </summary>
internal static class WorkerHost
{
    /// <summary>Builds (does not start) the host.</summary>
    public static WebApplication Build(WorkerHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var environment = WorkerConfiguration.ResolveEnvironment(settings.EnvironmentName);
        var contentRoot = WorkerConfiguration.ResolveContentRoot(settings.ContentRoot);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = contentRoot,
            ApplicationName = "delivery-worker",
        });
        WorkerConfiguration.AddSources(builder.Configuration, settings, environment, contentRoot);
        var configuration = builder.Configuration;

        var redactor = SecretRedactor.FromConfiguration(configuration, TimeProvider.System);
        builder.Logging.ClearProviders();
        builder.Services.AddDeliveryLogging(configuration, builder.Environment.IsDevelopment(), settings.LogOutput);

        ConfigureServer(builder, settings);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = ReadShutdownTimeout(configuration) + TimeSpan.FromSeconds(5);
            o.ServicesStartConcurrently = false;
            o.ServicesStopConcurrently = false;
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDeliveryTelemetry(configuration); // OpenTelemetry's hosted service starts before the pipelines
        builder.Services.AddDeliveryDestinations(configuration);
        builder.Services.AddDeliveryPipeline(configuration);
        builder.Services.AddDeliveryHealth(configuration);
        settings.ConfigureServices?.Invoke(builder.Services);
        builder.Services.AddSecretRedaction(redactor); // after every destination type: each one's handlers are wrapped
        builder.Services.AddSingleton(DestinationTypeRegistry.From(builder.Services));

        var app = builder.Build();
        app.MapWorkerEndpoints();
        return app;
    }

    /// <summary>The first address the server listens on (null when nothing listens).</summary>
    public static Uri? ListeningAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault();
        return first is null ? null : new Uri(first.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal));
    }

    private static void ConfigureServer(WebApplicationBuilder builder, WorkerHostSettings settings)
    {
        if (settings.ListenEndPoint is { } endPoint)
        {
            builder.WebHost.ConfigureKestrel(k => k.Listen(endPoint));
            return;
        }

        var port = int.TryParse(builder.Configuration[$"{DeliveryOptions.SectionName}:Http:Port"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p)
            ? p
            : new HttpServerOptions().Port;
        if (port is > 0 and <= IPEndPoint.MaxPort)
        {
            builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(port));
        }
        else
        {
            builder.Services.AddSingleton<IServer, NoListenerServer>();
        }
    }

    private static TimeSpan ReadShutdownTimeout(ConfigurationManager configuration) =>
        TimeSpan.TryParse(configuration[$"{DeliveryOptions.SectionName}:ShutdownTimeout"], CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero
            ? timeout
            : new DeliveryOptions().ShutdownTimeout;
}
