namespace Delivery.Core.Options.Validation;

/// <summary>The rules of <c>Delivery:Kafka</c> (part of <see cref="DeliveryOptionsValidator"/>).</summary>
internal static class KafkaOptionsRules
{
    private const string Key = $"{DeliveryOptions.SectionName}:Kafka";

    private static readonly KafkaOptionsAnnotations Annotations = new();

    public static void Check(KafkaOptions? kafka, List<string> failures)
    {
        if (kafka is null)
        {
            failures.Add($"{Key}: is required");
            return;
        }

        DeliveryOptionsValidator.Annotations(Annotations, kafka, Key, failures);

        if (string.IsNullOrWhiteSpace(kafka.BootstrapServers))
        {
            if (!kafka.Embedded)
            {
                failures.Add($"{Key}:BootstrapServers: is required unless {Key}:Embedded is true");
            }
        }
        else if (kafka.BootstrapServers.Split(',').Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{Key}:BootstrapServers: must be a comma-separated list of host:port without empty entries (was '{kafka.BootstrapServers}')");
        }

        if (kafka.TopicReplicationFactor is 0 or < -1)
        {
            failures.Add($"{Key}:TopicReplicationFactor: must be -1 (the broker's default) or at least 1 (was {kafka.TopicReplicationFactor})");
        }

        if (!Enum.IsDefined(kafka.GroupProtocol))
        {
            failures.Add($"{Key}:GroupProtocol: must be one of {string.Join(", ", Enum.GetNames<KafkaGroupProtocol>())} (was {DeliveryOptionsValidator.Format((int)kafka.GroupProtocol)})");
        }

        if (kafka.Client is null)
        {
            return;
        }

        foreach (var (clientKey, value) in kafka.Client.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (DeliveryOptionsValidator.ReservedClientKeys.Contains(clientKey))
            {
                failures.Add($"{Key}:Client:{clientKey}: must not be set: the worker sets {clientKey.ToLowerInvariant()} in code because the delivery guarantees depend on it");
            }
            else if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{Key}:Client:{clientKey}: must not be empty");
            }
        }

        CheckClassicOnlyKeys(kafka, failures);
    }

    /// <summary>
    /// With Consumer, and with Auto (which picks the consumer protocol wherever the brokers have it), librdkafka refuses
    /// the classic protocol's client keys: one line naming every one that is set.
    /// </summary>
    private static void CheckClassicOnlyKeys(KafkaOptions kafka, List<string> failures)
    {
        if (kafka.GroupProtocol == KafkaGroupProtocol.Classic)
        {
            return;
        }

        var set = DeliveryOptionsValidator.ClassicOnlyClientKeys
            .Where(k => kafka.Client.Keys.Any(c => string.Equals(c, k, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (set.Count > 0)
        {
            failures.Add($"{Key}:Client: {string.Join(", ", set)} must not be set with {Key}:GroupProtocol {kafka.GroupProtocol}: the consumer protocol (KIP-848) takes the session timeout and heartbeat from the broker (group.consumer.session.timeout.ms, group.consumer.heartbeat.interval.ms) and librdkafka refuses them; remove them, or set {Key}:GroupProtocol to Classic to tune the classic protocol");
        }
    }
}
