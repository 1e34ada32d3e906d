using Confluent.Kafka;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The consume loop's side of the <see cref="TierHeadRule"/>: reads whether records are behind a not-yet-due head
/// record (the consumer's cached high watermark, no broker round trip) and starts the requeue of a record the rule
/// sends to the tail. The produce is the <see cref="OutcomeWriter"/>'s (the retry-record producer); the record resolves
/// on the broker's acknowledgement, never before. Consume loop only.
/// </summary>
internal sealed class TierHeadStage(TierHeadRule rule, Func<PendingRecord, int, DateTimeOffset, Task> requeue)
{
    /// <summary>Decides on <paramref name="result"/>, a tier record due at <paramref name="due"/>.</summary>
    public TierHeadDecision Decide(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> result, DateTimeOffset due, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        var timestamp = result.Message.Timestamp;
        DateTimeOffset? entered = timestamp.Type == TimestampType.NotAvailable ? null : DateTimeOffset.FromUnixTimeMilliseconds(timestamp.UnixTimestampMs);
        return rule.Decide(result.Topic, due, entered, now, RecordsBehind(consumer, result));
    }

    /// <summary>
    /// Starts producing <paramref name="result"/> unchanged to the tail of its tier topic. The caller tracked its offset
    /// and started it on <paramref name="state"/> (so a revoke waits for the acknowledgement like for any started record).
    /// </summary>
    public void Requeue(PartitionState state, ConsumeResult<byte[], byte[]> result, DateTimeOffset due, int tier)
    {
        ArgumentNullException.ThrowIfNull(result);
        var decoded = RecordDecoder.AtDue(result, due);
        var record = new PendingRecord(state, result.Offset.Value, result.Message, decoded.Event!) { RedriveCount = decoded.RedriveCount, Started = true };
        _ = requeue(record, tier, due);
    }

    /// <summary>Whether the partition holds records after <paramref name="result"/>; false when the watermark is unknown.</summary>
    internal static bool RecordsBehind(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> result)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        try
        {
            var high = consumer.GetWatermarkOffsets(result.TopicPartition).High;
            return high != Offset.Unset && result.Offset.Value + 1 < high.Value;
        }
        catch (KafkaException)
        {
            return false;
        }
    }
}
