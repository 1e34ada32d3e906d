namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>Where the integration suite's broker comes from.</summary>
public enum KafkaBrokerSource
{
    /// <summary>librdkafka's embedded mock cluster, one per test (fault injection available).</summary>
    Embedded,

    /// <summary>A real Kafka named by <c>DELIVERY_TEST_KAFKA=host:port</c>.</summary>
    External,

    /// <summary>A Testcontainers <c>KafkaContainer</c> (apache/kafka, KRaft), one per test run.</summary>
    Container,
}
