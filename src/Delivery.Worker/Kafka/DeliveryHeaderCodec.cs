using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Core.Outcomes;
using Delivery.Core.Secrets;

namespace Delivery.Worker.Kafka;

/// <summary>
/// Encodes and decodes the <c>delivery-*</c> headers of retry and dead-letter records (DESIGN.md §5). Every value is
/// UTF-8 text: numbers in invariant decimal, instants as unix milliseconds, the DLQ reason as its enum name.
/// The record's own headers are kept byte for byte and in order; <c>delivery-*</c> headers are replaced, never duplicated.
/// Shared by the pipeline and the DLQ tools.
/// </summary>
internal static class DeliveryHeaderCodec
{
    private const string Ellipsis = "…";

    /// <summary>True for a header the worker owns (<c>delivery-</c> prefix).</summary>
    public static bool IsDeliveryHeader(string key) => key is not null && key.StartsWith(DeliveryHeaders.Prefix, StringComparison.Ordinal);

    /// <summary>
    /// The headers of a retry or dead-letter record: every non-<c>delivery-*</c> header of <paramref name="original"/>
    /// byte for byte and in order, then the <c>delivery-*</c> headers of <paramref name="values"/>. Error message and
    /// body are redacted by <paramref name="redactor"/> (default: credential patterns only; the handlers' answers are
    /// already redacted with the loaded secrets by <c>RedactingDestinationHandler</c>), then truncated to
    /// <paramref name="maxBodyBytes"/> UTF-8 bytes — in that order, so a secret is never cut into an unrecognisable prefix.
    /// </summary>
    public static Headers Encode(IEnumerable<IHeader>? original, DeliveryRecordHeaders values, int maxBodyBytes, SecretRedactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        redactor ??= SecretRedactor.PatternsOnly;
        var headers = new Headers();
        if (original is not null)
        {
            foreach (var header in original)
            {
                if (!IsDeliveryHeader(header.Key))
                {
                    headers.Add(header.Key, header.GetValueBytes());
                }
            }
        }

        Add(headers, DeliveryHeaders.EventId, values.EventId);
        Add(headers, DeliveryHeaders.Attempt, values.Attempt.ToString(CultureInfo.InvariantCulture));
        if (values.NotBefore is { } notBefore)
        {
            Add(headers, DeliveryHeaders.NotBefore, UnixMsRoundedUp(notBefore)); // never earlier than the due time
        }

        Add(headers, DeliveryHeaders.FirstAttemptAt, UnixMs(values.FirstAttemptAt));
        Add(headers, DeliveryHeaders.OriginalTopic, values.Origin.Topic);
        Add(headers, DeliveryHeaders.OriginalPartition, values.Origin.Partition.ToString(CultureInfo.InvariantCulture));
        Add(headers, DeliveryHeaders.OriginalOffset, values.Origin.Offset.ToString(CultureInfo.InvariantCulture));
        Add(headers, DeliveryHeaders.OriginalTimestamp, UnixMs(values.Origin.Timestamp));
        if (values.Destination is not null)
        {
            Add(headers, DeliveryHeaders.Destination, values.Destination);
        }

        if (values.ConsumerGroup is not null)
        {
            Add(headers, DeliveryHeaders.ConsumerGroup, values.ConsumerGroup);
        }

        if (values.Error is { } error)
        {
            Add(headers, DeliveryHeaders.ErrorStatus, error.Status.ToString(CultureInfo.InvariantCulture));
            Add(headers, DeliveryHeaders.ErrorType, error.ErrorType);
            Add(headers, DeliveryHeaders.ErrorMessage, TruncateUtf8(redactor.Redact(error.Message ?? string.Empty), maxBodyBytes));
            if (error.Body is not null)
            {
                Add(headers, DeliveryHeaders.ErrorBody, TruncateUtf8(redactor.Redact(error.Body), maxBodyBytes));
            }
        }

        if (values.DeadLetterReason is { } reason)
        {
            Add(headers, DeliveryHeaders.DlqReason, reason.ToString());
        }

        if (values.DeadLetteredAt is { } at)
        {
            Add(headers, DeliveryHeaders.DlqAt, UnixMs(at));
        }

        if (values.RedriveCount > 0)
        {
            Add(headers, DeliveryHeaders.RedriveCount, values.RedriveCount.ToString(CultureInfo.InvariantCulture));
        }

        return headers;
    }

    /// <summary>True when the record carries any <c>delivery-*</c> header.</summary>
    public static bool HasDeliveryHeaders(IEnumerable<IHeader>? headers)
        => headers is not null && headers.Any(h => IsDeliveryHeader(h.Key));

    /// <summary>
    /// Decodes the <c>delivery-*</c> headers. False with a null <paramref name="problem"/> when the record has none;
    /// false with <paramref name="problem"/> naming the header when they are present but missing or unparseable.
    /// </summary>
    public static bool TryDecode(IEnumerable<IHeader>? headers, [NotNullWhen(true)] out DeliveryRecordHeaders? values, out string? problem)
    {
        values = null;
        problem = null;
        if (!HasDeliveryHeaders(headers))
        {
            return false;
        }

        var map = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var header in headers!)
        {
            if (IsDeliveryHeader(header.Key))
            {
                if (map.ContainsKey(header.Key))
                {
                    problem = $"{header.Key}: appears more than once";
                    return false;
                }

                map[header.Key] = header.GetValueBytes();
            }
        }

        var reader = new Reader(map);
        var eventId = reader.RequiredString(DeliveryHeaders.EventId);
        var attempt = reader.RequiredInt(DeliveryHeaders.Attempt, 0);
        var notBefore = reader.OptionalInstant(DeliveryHeaders.NotBefore);
        var firstAttemptAt = reader.RequiredInstant(DeliveryHeaders.FirstAttemptAt);
        var topic = reader.RequiredString(DeliveryHeaders.OriginalTopic);
        var partition = reader.RequiredInt(DeliveryHeaders.OriginalPartition, 0);
        var offset = reader.RequiredLong(DeliveryHeaders.OriginalOffset, 0);
        var timestamp = reader.OptionalInstant(DeliveryHeaders.OriginalTimestamp) ?? DateTimeOffset.UnixEpoch;
        var destination = reader.OptionalString(DeliveryHeaders.Destination);
        var group = reader.OptionalString(DeliveryHeaders.ConsumerGroup);
        var status = reader.OptionalInt(DeliveryHeaders.ErrorStatus);
        var errorType = reader.OptionalString(DeliveryHeaders.ErrorType);
        var message = reader.OptionalString(DeliveryHeaders.ErrorMessage);
        var body = reader.OptionalString(DeliveryHeaders.ErrorBody);
        var reasonText = reader.OptionalString(DeliveryHeaders.DlqReason);
        var dlqAt = reader.OptionalInstant(DeliveryHeaders.DlqAt);
        var redrives = reader.OptionalInt(DeliveryHeaders.RedriveCount) ?? 0;
        DeadLetterReason? reason = null;
        if (reasonText is not null)
        {
            if (Enum.TryParse<DeadLetterReason>(reasonText, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(reasonText, out _))
            {
                reason = parsed;
            }
            else
            {
                reader.Fail(DeliveryHeaders.DlqReason, "is not a known reason");
            }
        }

        if (redrives < 0)
        {
            reader.Fail(DeliveryHeaders.RedriveCount, "must not be negative");
        }

        if (reader.Problem is not null)
        {
            problem = reader.Problem;
            return false;
        }

        values = new DeliveryRecordHeaders
        {
            EventId = eventId!,
            Attempt = attempt,
            NotBefore = notBefore,
            FirstAttemptAt = firstAttemptAt,
            Origin = new EventOrigin(topic!, partition, offset, timestamp),
            Destination = destination,
            ConsumerGroup = group,
            Error = status is { } s ? new DeliveryError(s, errorType ?? string.Empty, message ?? string.Empty, body) : null,
            DeadLetterReason = reason,
            DeadLetteredAt = dlqAt,
            RedriveCount = redrives,
        };
        return true;
    }

    /// <summary>The last value of header <paramref name="key"/> as UTF-8 text, or null.</summary>
    public static string? GetString(IEnumerable<IHeader>? headers, string key)
    {
        if (headers is null)
        {
            return null;
        }

        string? value = null;
        foreach (var header in headers)
        {
            if (string.Equals(header.Key, key, StringComparison.Ordinal))
            {
                var bytes = header.GetValueBytes();
                value = bytes is null ? null : Encoding.UTF8.GetString(bytes);
            }
        }

        return value;
    }

    /// <summary>
    /// <paramref name="value"/> cut to at most <paramref name="maxBytes"/> UTF-8 bytes on a whole character (never a
    /// split surrogate pair), with a trailing ellipsis when it was cut and there is room for one.
    /// </summary>
    public static string TruncateUtf8(string value, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }

        var ellipsisBytes = Encoding.UTF8.GetByteCount(Ellipsis);
        var budget = maxBytes >= ellipsisBytes * 4 ? maxBytes - ellipsisBytes : maxBytes;
        var used = 0;
        var chars = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            used += rune.Utf8SequenceLength;
            chars += rune.Utf16SequenceLength;
        }

        var cut = value[..chars];
        return budget < maxBytes ? cut + Ellipsis : cut;
    }

    /// <summary>Unix milliseconds as invariant text.</summary>
    public static string UnixMs(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Unix milliseconds as invariant text, a fraction of a millisecond rounded up: a due time written to a header is
    /// never earlier than the instant it stands for (a Retry-After of 1.5 s must not come due 0.4 ms early).
    /// </summary>
    public static string UnixMsRoundedUp(DateTimeOffset instant)
    {
        var ms = instant.ToUnixTimeMilliseconds();
        var rounded = DateTimeOffset.FromUnixTimeMilliseconds(ms) < instant ? ms + 1 : ms;
        return rounded.ToString(CultureInfo.InvariantCulture);
    }

    private static void Add(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));

    private sealed class Reader(Dictionary<string, byte[]?> map)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public string? Problem { get; private set; }

        public void Fail(string key, string why) => Problem ??= $"{key}: {why}";

        public string? RequiredString(string key)
        {
            var value = OptionalString(key);
            if (value is null)
            {
                Fail(key, "is missing");
            }
            else if (value.Length == 0)
            {
                Fail(key, "is empty");
            }

            return value;
        }

        public string? OptionalString(string key)
        {
            if (!map.TryGetValue(key, out var bytes) || bytes is null)
            {
                return null;
            }

            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                Fail(key, "is not valid UTF-8");
                return null;
            }
        }

        public int RequiredInt(string key, int min)
        {
            var value = OptionalInt(key);
            if (value is null)
            {
                Fail(key, "is missing");
                return 0;
            }

            if (value < min)
            {
                Fail(key, $"must be at least {min}");
            }

            return value.Value;
        }

        public int? OptionalInt(string key)
        {
            var text = OptionalString(key);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Fail(key, "is not an integer");
            return null;
        }

        public long RequiredLong(string key, long min)
        {
            var text = OptionalString(key);
            if (text is null)
            {
                Fail(key, "is missing");
                return 0;
            }

            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                Fail(key, "is not an integer");
                return 0;
            }

            if (value < min)
            {
                Fail(key, $"must be at least {min}");
            }

            return value;
        }

        public DateTimeOffset RequiredInstant(string key)
        {
            if (!map.ContainsKey(key))
            {
                Fail(key, "is missing");
                return DateTimeOffset.UnixEpoch;
            }

            return OptionalInstant(key) ?? DateTimeOffset.UnixEpoch;
        }

        public DateTimeOffset? OptionalInstant(string key)
        {
            var text = OptionalString(key);
            if (text is null)
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                && ms >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }

            Fail(key, "is not a unix-millisecond instant");
            return null;
        }
    }
}
