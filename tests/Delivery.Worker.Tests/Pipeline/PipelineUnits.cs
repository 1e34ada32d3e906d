using System.Text;
using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>Builders shared by the pipeline stage unit tests (no Kafka: Confluent's types as plain data).</summary>
internal static class PipelineUnits
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start) { AutoAdvanceAmount = TimeSpan.Zero };

    public static DeliveryMetrics Metrics()
        => new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    public static PartitionState Partition(string topic = "orders", int partition = 0, bool retryTier = false)
        => new(new TopicPartition(topic, partition), new Delivery.Core.Offsets.PartitionOffsetTracker(), retryTier);

    /// <summary>A tracked record of <paramref name="state"/> at <paramref name="offset"/> whose value has <paramref name="bytes"/> bytes.</summary>
    public static PendingRecord Record(PartitionState state, long offset, int bytes = 10)
    {
        var message = new Message<byte[], byte[]> { Value = new byte[bytes], Headers = [] };
        var evt = new DeliveryEvent
        {
            EventId = $"e-{offset}",
            Value = message.Value,
            Origin = new EventOrigin(state.Partition.Topic, state.Partition.Partition.Value, offset, Start.UtcDateTime),
            FirstAttemptAt = Start,
        };
        state.Tracker.Track(offset);
        state.LastTracked = offset;
        return new PendingRecord(state, offset, message, evt);
    }

    public static ConsumeResult<byte[], byte[]> Consumed(string topic, int partition, long offset, Headers headers, string value = "{}")
        => new()
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, partition, offset),
            Message = new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes("k"),
                Value = Encoding.UTF8.GetBytes(value),
                Headers = headers,
                Timestamp = new Timestamp(Start.UtcDateTime),
            },
        };
}
