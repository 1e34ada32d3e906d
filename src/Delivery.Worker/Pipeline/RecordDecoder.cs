using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Worker.Kafka;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Turns a consumed record into a ready <see cref="DeliveryEvent"/>, a malformed retry record, or a retry record that
/// is not yet due (DESIGN.md §5). A retry record due within <paramref name="prefetch"/> of the clock is ready, with its
/// due time, for the batcher to keep back until then (<c>Pipeline:RetryPrefetch</c>). Pure: no consumer, the clock is passed in.
/// </summary>
internal sealed class RecordDecoder(string? eventIdHeader, TimeSpan prefetch = default)
{
    /// <summary>How long before its due time a retry record is taken (ready, to be kept back by the batcher).</summary>
    public TimeSpan Prefetch => prefetch;

    /// <summary>Decodes <paramref name="result"/>; <paramref name="isRetryTier"/>: it came from a retry tier topic.</summary>
    public DecodedRecord Decode(ConsumeResult<byte[], byte[]> result, bool isRetryTier, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        return isRetryTier ? DecodeRetry(result, now, prefetch) : DecodeSource(result, now);
    }

    /// <summary>
    /// Decodes a retry record that is not yet due as it will be at <paramref name="due"/>, its due time: ready (or
    /// malformed), with its event. For the records the tier head rule requeues unchanged (their event names them).
    /// </summary>
    public static DecodedRecord AtDue(ConsumeResult<byte[], byte[]> result, DateTimeOffset due)
    {
        ArgumentNullException.ThrowIfNull(result);
        return DecodeRetry(result, due, TimeSpan.Zero);
    }

    private DecodedRecord DecodeSource(ConsumeResult<byte[], byte[]> result, DateTimeOffset now)
    {
        // One pass over the headers (event id, redrive count, traceparent, the headers kept for the destination).
        var message = result.Message;
        var scanned = SourceRecordHeaders.Read(message.Headers, eventIdHeader);
        var offset = result.Offset.Value;
        var eventId = NonEmpty(Utf8(scanned.CustomEventId))
            ?? NonEmpty(Utf8(scanned.DeliveryEventId))
            ?? $"{result.Topic}/{result.Partition.Value}/{offset}";
        var redrives = scanned.RedriveCount is { } redriveBytes
            && int.TryParse(Encoding.UTF8.GetString(redriveBytes), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        var evt = new DeliveryEvent
        {
            EventId = eventId,
            Key = message.Key,
            Value = message.Value ?? [],
            Headers = scanned.EventHeaders,
            Attempt = 1,
            FirstAttemptAt = now,
            Origin = new EventOrigin(result.Topic, result.Partition.Value, offset, message.Timestamp.UtcDateTime),
            TraceParent = Utf8(scanned.TraceParent),
        };
        return new DecodedRecord(DecodedKind.Ready, evt, redrives, null, default);
    }

    private static DecodedRecord DecodeRetry(ConsumeResult<byte[], byte[]> result, DateTimeOffset now, TimeSpan prefetch)
    {
        var message = result.Message;
        if (!DeliveryHeaderCodec.TryDecode(message.Headers, out var headers, out var problem) || (problem = CheckRetryHeaders(headers)) is not null)
        {
            return Malformed(result, problem ?? "the delivery headers are missing", now);
        }

        var due = headers.NotBefore!.Value;
        if (due > now + prefetch)
        {
            return new DecodedRecord(DecodedKind.NotYetDue, null, 0, null, due);
        }

        var scanned = SourceRecordHeaders.Read(message.Headers, null);
        var evt = new DeliveryEvent
        {
            EventId = headers.EventId,
            Key = message.Key,
            Value = message.Value ?? [],
            Headers = scanned.EventHeaders,
            Attempt = headers.Attempt + 1,
            FirstAttemptAt = headers.FirstAttemptAt,
            Origin = headers.Origin,
            TraceParent = Utf8(scanned.TraceParent),
        };
        return new DecodedRecord(DecodedKind.Ready, evt, headers.RedriveCount, null, due);
    }

    private static DecodedRecord Malformed(ConsumeResult<byte[], byte[]> result, string problem, DateTimeOffset now)
    {
        var message = result.Message;
        var scanned = SourceRecordHeaders.Read(message.Headers, null);
        var eventId = NonEmpty(Utf8(scanned.DeliveryEventId)) ?? $"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}";
        var attempt = int.TryParse(DeliveryHeaderCodec.GetString(message.Headers, DeliveryHeaders.Attempt), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var evt = new DeliveryEvent
        {
            EventId = eventId,
            Key = message.Key,
            Value = message.Value ?? [],
            Headers = scanned.EventHeaders,
            Attempt = attempt,
            FirstAttemptAt = now,
            Origin = new EventOrigin(result.Topic, result.Partition.Value, result.Offset.Value, message.Timestamp.UtcDateTime),
        };
        return new DecodedRecord(DecodedKind.Malformed, evt, 0, problem, default);
    }

    private static string? CheckRetryHeaders(DeliveryRecordHeaders headers)
    {
        if (headers.Attempt < 1)
        {
            return $"{DeliveryHeaders.Attempt}: must be at least 1";
        }

        return headers.NotBefore is null ? $"{DeliveryHeaders.NotBefore}: is missing" : null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Utf8(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
