using Confluent.Kafka;

namespace Delivery.Worker.Kafka;

/// <summary>
/// Asks the brokers which protocol APIs they serve: a short-lived admin client with <c>debug=feature</c> fetches
/// metadata, which makes librdkafka send ApiVersions on the connection and log the answer (<see cref="ApiVersionAnswers"/>).
/// The admin client gets the worker's own client settings (security included), so the probe reaches the brokers the
/// way the consumers will.
/// </summary>
internal static class BrokerFeatureProbe
{
    /// <summary>Kafka's API key of <c>ConsumerGroupHeartbeat</c> (KIP-848, the consumer group protocol).</summary>
    public const short ConsumerGroupHeartbeat = 68;

    /// <summary>
    /// True when every broker that answered serves <paramref name="apiKey"/>, false when one does not, null when no
    /// broker answered within <paramref name="timeout"/>.
    /// </summary>
    public static bool? Serves(AdminClientConfig config, short apiKey, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(config);
        var answers = new ApiVersionAnswers();
        var probe = new AdminClientConfig(config.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
        {
            Debug = "feature",
            ClientId = "delivery-worker-probe",
        };
        using var admin = new AdminClientBuilder(probe)
            .SetLogHandler((_, message) => answers.Add(message.Facility, message.Message))
            .Build();
        try
        {
            admin.GetMetadata(timeout);
        }
        catch (KafkaException)
        {
            // No broker answered the metadata request in time; an ApiVersions answer may still have come.
        }

        return answers.AllServe(apiKey);
    }
}
