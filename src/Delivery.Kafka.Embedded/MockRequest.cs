namespace Delivery.Kafka.Embedded;

/// <summary>One request the mock cluster received while request tracking was on.</summary>
/// <param name="BrokerId">The broker that received it.</param>
/// <param name="ApiKey">The protocol API key.</param>
/// <param name="TimestampMicros">When it was received (librdkafka monotonic clock, microseconds).</param>
public readonly record struct MockRequest(int BrokerId, short ApiKey, long TimestampMicros);
