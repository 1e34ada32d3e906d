using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace Delivery.Worker.Logging;

/// <summary>
/// Builds the Serilog logger used as the only logging provider: JSON lines outside Development, a readable console
/// in Development, secrets masked by <see cref="SecretMaskingEnricher"/>. Levels can be tuned under <c>Serilog</c>
/// (e.g. <c>Serilog:MinimumLevel:Override:Delivery.Worker=Debug</c>).
/// </summary>
internal static class DeliveryLogging
{
    private const string ReadableTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>Creates the logger.</summary>
    /// <param name="configuration">The worker configuration (the optional <c>Serilog</c> section is read).</param>
    /// <param name="development">Readable output instead of JSON.</param>
    /// <param name="output">Where to write; null writes to the console.</param>
    /// <param name="redactor">The worker's secret redactor; null masks sensitive names and credential patterns only.</param>
    public static Serilog.Core.Logger Create(IConfiguration configuration, bool development, TextWriter? output, Delivery.Core.Secrets.SecretRedactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.With(redactor is null ? new SecretMaskingEnricher() : new SecretMaskingEnricher(redactor));

        var formatter = development
            ? (Serilog.Formatting.ITextFormatter)new MessageTemplateTextFormatter(ReadableTemplate, formatProvider: null)
            : new JsonFormatter(closingDelimiter: null, renderMessage: true, formatProvider: null);

        if (output is not null)
        {
            config = config.WriteTo.Sink(new TextWriterSink(output, formatter));
        }
        else if (development)
        {
            config = config.WriteTo.Console(outputTemplate: ReadableTemplate, standardErrorFromLevel: null);
        }
        else
        {
            config = config.WriteTo.Console(formatter);
        }

        return config.CreateLogger();
    }
}
