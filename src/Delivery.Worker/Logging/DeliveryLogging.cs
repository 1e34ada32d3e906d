using Delivery.Core.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace Delivery.Worker.Logging;

/// <summary>
/// Serilog as the only logging provider, through Serilog.Extensions.Hosting: JSON lines outside Development, a readable
/// console in Development, secrets masked by <see cref="SecretMaskingEnricher"/>. Levels can be tuned under
/// <c>Serilog</c> (e.g. <c>Serilog:MinimumLevel:Override:Delivery.Worker=Debug</c>); sinks and enrichers may take
/// services. A bootstrap logger covers what happens before a host exists.
/// </summary>
internal static class DeliveryLogging
{
    private const string ReadableTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Registers the host's Serilog logger. It is the host's own (the static <see cref="Log.Logger"/>, the bootstrap
    /// logger, is left alone, so several hosts can run in one process), flushed and disposed with the host; other
    /// registered <c>ILoggerProvider</c>s (tests) still receive events.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The worker configuration (the optional <c>Serilog</c> section is read).</param>
    /// <param name="development">Readable output instead of JSON.</param>
    /// <param name="output">Where to write; null writes to the console.</param>
    public static IServiceCollection AddDeliveryLogging(this IServiceCollection services, IConfiguration configuration, bool development, TextWriter? output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddSerilog(
            (provider, config) => Configure(config.ReadFrom.Services(provider), configuration, development, output, provider.GetService<SecretRedactor>()),
            preserveStaticLogger: true,
            writeToProviders: true);
    }

    /// <summary>
    /// The logger for failures before a host is built (bad arguments, configuration that cannot be read): one JSON line
    /// per event on the console (or <paramref name="output"/>), secrets masked.
    /// </summary>
    public static ILogger CreateBootstrapLogger(TextWriter? output = null)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .Enrich.With(new SecretMaskingEnricher());
        config = output is null ? config.WriteTo.Console(Json()) : config.WriteTo.Sink(new TextWriterSink(output, Json()));
        return config.CreateBootstrapLogger();
    }

    /// <summary>
    /// Applies the worker's logging policy to <paramref name="config"/>; secrets are masked with the worker's
    /// <c>SecretRedactor</c> when given (it knows the loaded secrets), else by name and credential pattern only.
    /// </summary>
    public static LoggerConfiguration Configure(LoggerConfiguration config, IConfiguration configuration, bool development, TextWriter? output, SecretRedactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(configuration);
        config = config
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.With(redactor is null ? new SecretMaskingEnricher() : new SecretMaskingEnricher(redactor));

        ITextFormatter formatter = development ? new MessageTemplateTextFormatter(ReadableTemplate, formatProvider: null) : Json();
        if (output is not null)
        {
            return config.WriteTo.Sink(new TextWriterSink(output, formatter)); // tests and the demo capture output
        }

        return development
            ? config.WriteTo.Console(outputTemplate: ReadableTemplate, standardErrorFromLevel: null)
            : config.WriteTo.Console(formatter);
    }

    /// <summary>Creates a standalone logger with the worker's policy (no host).</summary>
    public static Serilog.Core.Logger Create(IConfiguration configuration, bool development, TextWriter? output) =>
        Configure(new LoggerConfiguration(), configuration, development, output).CreateLogger();

    private static JsonFormatter Json() => new(closingDelimiter: null, renderMessage: true, formatProvider: null);
}
