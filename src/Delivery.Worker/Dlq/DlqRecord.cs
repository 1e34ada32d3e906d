using Confluent.Kafka;
using Delivery.Worker.Kafka;

namespace Delivery.Worker.Dlq;

/// <summary>One record read from a dead-letter topic, with its <c>delivery-*</c> headers decoded.</summary>
/// <param name="Partition">Partition.</param>
/// <param name="Offset">Offset.</param>
/// <param name="Timestamp">Kafka timestamp of the DLQ record.</param>
/// <param name="Message">The record as read (key, value and headers byte for byte).</param>
/// <param name="Headers">Decoded delivery headers, or null when they are missing or unreadable.</param>
/// <param name="Problem">Why the headers could not be decoded, or null.</param>
internal sealed record DlqRecord(int Partition, long Offset, DateTimeOffset Timestamp, Message<byte[], byte[]> Message, DeliveryRecordHeaders? Headers, string? Problem)
{
    /// <summary>When it was dead-lettered (<c>delivery-dlq-at</c>, else the record timestamp).</summary>
    public DateTimeOffset DeadLetteredAt => Headers?.DeadLetteredAt ?? Timestamp;

    /// <summary>The reason name, or "unknown".</summary>
    public string Reason => Headers?.DeadLetterReason?.ToString() ?? "unknown";

    /// <summary>The last error status as text, or "none".</summary>
    public string Status => Headers?.Error is { } e ? e.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";

    /// <summary>The last error type, or "none".</summary>
    public string ErrorType => Headers?.Error?.ErrorType is { Length: > 0 } t ? t : "none";

    /// <summary>Times it was redriven already.</summary>
    public int RedriveCount => Headers?.RedriveCount ?? 0;

    /// <summary>Decodes a consumed record.</summary>
    public static DlqRecord From(ConsumeResult<byte[], byte[]> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        DeliveryHeaderCodec.TryDecode(result.Message.Headers, out var headers, out var problem);
        if (headers is null && problem is null)
        {
            problem = "no delivery headers";
        }

        return new DlqRecord(result.Partition.Value, result.Offset.Value, result.Message.Timestamp.UtcDateTime, result.Message, headers, problem);
    }
}
