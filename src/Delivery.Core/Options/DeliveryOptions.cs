namespace Delivery.Core.Options;

/// <summary>The root configuration section <c>Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Delivery";

    /// <summary>Kafka connection.</summary>
    public KafkaOptions Kafka { get; set; } = new();

    /// <summary>The worker's HTTP endpoint.</summary>
    public HttpServerOptions Http { get; set; } = new();

    /// <summary>How long shutdown may drain in-flight work before it gives up. Default 25 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Destinations by name.</summary>
    public IDictionary<string, DestinationOptions> Destinations { get; set; } = new Dictionary<string, DestinationOptions>(StringComparer.Ordinal);
}
