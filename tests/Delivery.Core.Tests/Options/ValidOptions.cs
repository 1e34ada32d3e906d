using Delivery.Core.Options;

namespace Delivery.Core.Tests.Options;

/// <summary>A minimal valid configuration that each test breaks in one place.</summary>
internal static class ValidOptions
{
    public static DeliveryOptions Create()
    {
        var options = new DeliveryOptions();
        options.Kafka.BootstrapServers = "kafka:9092";
        options.Destinations["orders"] = new DestinationOptions { Type = "HttpBatch", SourceTopics = ["orders"] };
        return options;
    }

    public static DestinationOptions Orders(this DeliveryOptions options) => options.Destinations["orders"];
}
