using Delivery.Core.Options;
using Delivery.Core.Secrets;
using Delivery.Worker.Hosting;
using Delivery.Worker.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Dlq;

/// <summary>Opens a <see cref="DlqSession"/> from the worker configuration (the host is built, never started).</summary>
internal static class DlqSessionFactory
{
    /// <summary>Broker call timeout of the DLQ tools.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The session, or the problems that prevent one (one line each, naming the key).</summary>
    public static (DlqSession? Session, IReadOnlyList<string> Problems) Open(WebApplication app, string destination)
    {
        ArgumentNullException.ThrowIfNull(app);
        var problems = ConfigurationValidator.Validate(app.Configuration, app.Services);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var options = DeliveryConfiguration.Bind(app.Configuration, new List<string>());
        if (!options.Destinations.TryGetValue(destination, out var destinationOptions))
        {
            var known = string.Join(", ", options.Destinations.Keys.Order(StringComparer.Ordinal));
            return (null, [$"{DeliveryOptions.SectionName}:Destinations:{destination}: is not configured (configured: {known})"]);
        }

        if (options.Kafka.Embedded)
        {
            return (null, [$"{DeliveryOptions.SectionName}:Kafka:Embedded: the DLQ tools need a Kafka they can reach (Delivery:Kafka:BootstrapServers); an embedded cluster lives only inside its worker process"]);
        }

        var clients = app.Services.GetRequiredService<KafkaClientFactory>();
        return (new DlqSession(destination, destinationOptions, clients, Timeout, app.Services.GetService<SecretRedactor>()), []);
    }
}
