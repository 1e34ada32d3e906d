using Microsoft.Extensions.Configuration;

namespace Delivery.Worker.Hosting;

/// <summary>
/// The worker's configuration sources, in order: appsettings.json, appsettings.{Environment}.json, an optional
/// extra file (<c>--config</c>), environment variables (<c>Delivery__Kafka__BootstrapServers</c>, <c>OTEL_*</c>),
/// then in-code overrides.
/// </summary>
internal static class WorkerConfiguration
{
    /// <summary>The environment name from DOTNET_ENVIRONMENT / ASPNETCORE_ENVIRONMENT, else Production.</summary>
    public static string ResolveEnvironment(string? requested) =>
        requested is { Length: > 0 } ? requested
        : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } dotnet ? dotnet
        : Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } aspnet ? aspnet
        : "Production";

    /// <summary>The directory appsettings files are read from.</summary>
    public static string ResolveContentRoot(string? requested) => requested is { Length: > 0 } ? Path.GetFullPath(requested) : AppContext.BaseDirectory;

    /// <summary>Adds the sources (after clearing any defaults).</summary>
    public static void AddSources(IConfigurationBuilder builder, WorkerHostSettings settings, string environment, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.Sources.Clear();
        builder.SetBasePath(contentRoot);
        builder.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        builder.AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false);
        if (settings.ConfigFile is { Length: > 0 } file)
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        if (settings.UseEnvironmentVariables)
        {
            builder.AddEnvironmentVariables();
        }

        if (settings.Overrides is { Count: > 0 } overrides)
        {
            builder.AddInMemoryCollection(overrides);
        }
    }

    /// <summary>Builds a standalone configuration (validate-config and the DLQ tools, which start no host).</summary>
    public static IConfigurationRoot Build(WorkerHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new ConfigurationBuilder();
        AddSources(builder, settings, ResolveEnvironment(settings.EnvironmentName), ResolveContentRoot(settings.ContentRoot));
        return builder.Build();
    }
}
