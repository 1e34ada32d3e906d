namespace Delivery.Core.Options;

/// <summary>The consumer group protocol of every destination's consumer (<c>Delivery:Kafka:GroupProtocol</c>).</summary>
public enum KafkaGroupProtocol
{
    /// <summary>
    /// The consumer protocol (KIP-848) when the brokers serve the <c>ConsumerGroupHeartbeat</c> API (asked once at
    /// start: the embedded cluster has it; otherwise the ApiVersions answer a broker gives an admin client), else
    /// <see cref="Classic"/>.
    /// </summary>
    Auto = 0,

    /// <summary>KIP-848 (<c>group.protocol=consumer</c>): the broker assigns incrementally; session timeout and heartbeat are broker settings.</summary>
    Consumer = 1,

    /// <summary>The classic protocol with the <c>cooperative-sticky</c> assignor (incremental rebalances); session timeout and heartbeat are client settings.</summary>
    Classic = 2,
}
