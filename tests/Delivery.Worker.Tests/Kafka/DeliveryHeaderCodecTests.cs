using System.Text;
using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Core.Outcomes;
using Delivery.Core.Secrets;
using Delivery.Worker.Kafka;

namespace Delivery.Worker.Tests.Kafka;

public sealed class DeliveryHeaderCodecTests
{
    private static readonly DateTimeOffset First = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);

    private static DeliveryRecordHeaders Sample(DeadLetterReason? reason = null) => new()
    {
        EventId = "orders/3/42",
        Attempt = 2,
        NotBefore = First.AddSeconds(30),
        FirstAttemptAt = First,
        Origin = new EventOrigin("orders", 3, 42, First.AddSeconds(-1)),
        Destination = "orders-to-nakadi",
        ConsumerGroup = "delivery.orders-to-nakadi",
        Error = new DeliveryError(503, "SERVICE_UNAVAILABLE", "down", "{\"x\":1}"),
        DeadLetterReason = reason,
        DeadLetteredAt = reason is null ? null : First.AddMinutes(1),
        RedriveCount = 1,
    };

    [Fact]
    public void Encode_ThenDecode_RoundTripsEveryField()
    {
        var values = Sample(DeadLetterReason.RetriesExhausted);

        var headers = DeliveryHeaderCodec.Encode(null, values, 4096);

        Assert.True(DeliveryHeaderCodec.TryDecode(headers, out var decoded, out var problem), problem);
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void Encode_ErrorWithCredentials_RedactedBeforeTruncation()
    {
        var secret = "s3cr3t-password-value";
        var redactor = new SecretRedactor([SecretSource.Literal("Delivery:Kafka:Client:sasl.password", secret)], TimeProvider.System);
        var values = Sample() with { Error = new DeliveryError(400, "BAD_REQUEST", $"echo Authorization: Bearer abcdef123456 and {secret}", $"{{\"pw\":\"{secret}\"}}") };

        var withRedactor = DeliveryHeaderCodec.Encode(null, values, 64, redactor);
        var patternsOnly = DeliveryHeaderCodec.Encode(null, values, 4096);

        Assert.True(DeliveryHeaderCodec.TryDecode(withRedactor, out var decoded, out _));
        Assert.Equal("echo Authorization: Bearer *** and ***", decoded.Error!.Message);
        Assert.Equal("{\"pw\":\"***\"}", decoded.Error.Body);
        Assert.True(DeliveryHeaderCodec.TryDecode(patternsOnly, out var plain, out _));
        Assert.StartsWith("echo Authorization: Bearer *** and ", plain.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_OriginalHeaders_KeptByteForByteInOrderAndDeliveryHeadersReplaced()
    {
        var original = new Headers
        {
            { "b-first", [0xff, 0x00, 0x01] },
            { DeliveryHeaders.Attempt, Encoding.UTF8.GetBytes("7") },
            { "a-second", [] },
            { "null-valued", null },
            { DeliveryHeaders.EventId, Encoding.UTF8.GetBytes("old") },
        };

        var headers = DeliveryHeaderCodec.Encode(original, Sample(), 4096);

        var own = headers.Where(h => !DeliveryHeaderCodec.IsDeliveryHeader(h.Key)).ToList();
        Assert.Equal(["b-first", "a-second", "null-valued"], own.Select(h => h.Key));
        Assert.Equal(new byte[] { 0xff, 0x00, 0x01 }, own[0].GetValueBytes());
        Assert.Empty(own[1].GetValueBytes());
        Assert.Null(own[2].GetValueBytes());
        Assert.Single(headers, h => h.Key == DeliveryHeaders.Attempt);
        Assert.Single(headers, h => h.Key == DeliveryHeaders.EventId);
        Assert.Equal("2", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.Attempt));
        Assert.Equal("orders/3/42", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.EventId));
    }

    [Theory]
    [InlineData(0, "1767225630123")]
    [InlineData(1, "1767225630124")] // 100 ns past the millisecond: rounded up, never early
    [InlineData(4_000, "1767225630124")]
    [InlineData(9_999, "1767225630124")]
    public void Encode_NotBeforeWithAFractionOfAMillisecond_RoundedUp(long ticks, string expected)
    {
        var values = Sample() with { NotBefore = First.AddSeconds(30).AddTicks(ticks) };

        var headers = DeliveryHeaderCodec.Encode(null, values, 4096);

        Assert.Equal(expected, DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.NotBefore));
        Assert.True(DeliveryHeaderCodec.TryDecode(headers, out var decoded, out _));
        Assert.True(decoded.NotBefore >= values.NotBefore);
        Assert.Equal("1767225600123", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.FirstAttemptAt)); // other instants as they were
    }

    [Fact]
    public void Encode_ValuesAsText_NumbersAndUnixMilliseconds()
    {
        var headers = DeliveryHeaderCodec.Encode(null, Sample(DeadLetterReason.NonRetryable), 4096);

        Assert.Equal("1767225600123", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.FirstAttemptAt));
        Assert.Equal("1767225630123", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.NotBefore));
        Assert.Equal("3", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.OriginalPartition));
        Assert.Equal("42", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.OriginalOffset));
        Assert.Equal("503", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.ErrorStatus));
        Assert.Equal("NonRetryable", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.DlqReason));
        Assert.Equal("1", DeliveryHeaderCodec.GetString(headers, DeliveryHeaders.RedriveCount));
    }

    [Fact]
    public void Encode_LongErrorMessage_TruncatedUtf8Safely()
    {
        var values = Sample() with { Error = new DeliveryError(400, "BAD_REQUEST", new string('€', 500), string.Concat(Enumerable.Repeat("😀", 500))) };

        var headers = DeliveryHeaderCodec.Encode(null, values, 100);

        foreach (var key in new[] { DeliveryHeaders.ErrorMessage, DeliveryHeaders.ErrorBody })
        {
            var bytes = headers.GetLastBytes(key);
            Assert.InRange(bytes.Length, 1, 100);
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            Assert.EndsWith("…", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("abc", 3, "abc")]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("aé", 2, "a")]
    [InlineData("😀😀", 5, "😀")]
    [InlineData("", 0, "")]
    public void TruncateUtf8_CutsOnWholeCharacters(string value, int max, string expected)
        => Assert.Equal(expected, DeliveryHeaderCodec.TruncateUtf8(value, max));

    [Fact]
    public void TruncateUtf8_LargeBudget_AppendsEllipsisWithinBudget()
    {
        var cut = DeliveryHeaderCodec.TruncateUtf8(new string('x', 100), 20);

        Assert.Equal(new string('x', 17) + "…", cut);
        Assert.Equal(20, Encoding.UTF8.GetByteCount(cut));
    }

    [Fact]
    public void TryDecode_NoDeliveryHeaders_FalseWithoutProblem()
    {
        var headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes("00-abc") } };

        Assert.False(DeliveryHeaderCodec.TryDecode(headers, out var values, out var problem));
        Assert.Null(values);
        Assert.Null(problem);
        Assert.False(DeliveryHeaderCodec.TryDecode(null, out _, out problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData(DeliveryHeaders.Attempt, "two", "delivery-attempt: is not an integer")]
    [InlineData(DeliveryHeaders.Attempt, "-1", "delivery-attempt: must be at least 0")]
    [InlineData(DeliveryHeaders.FirstAttemptAt, "yesterday", "delivery-first-attempt-at: is not a unix-millisecond instant")]
    [InlineData(DeliveryHeaders.OriginalOffset, "1.5", "delivery-original-offset: is not an integer")]
    [InlineData(DeliveryHeaders.DlqReason, "Whatever", "delivery-dlq-reason: is not a known reason")]
    [InlineData(DeliveryHeaders.DlqReason, "7", "delivery-dlq-reason: is not a known reason")]
    [InlineData(DeliveryHeaders.EventId, "", "delivery-event-id: is empty")]
    public void TryDecode_CorruptValue_FalseNamingTheHeader(string key, string value, string expected)
    {
        var headers = Replace(DeliveryHeaderCodec.Encode(null, Sample(DeadLetterReason.NonRetryable), 4096), key, Encoding.UTF8.GetBytes(value));

        Assert.False(DeliveryHeaderCodec.TryDecode(headers, out _, out var problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData(DeliveryHeaders.EventId)]
    [InlineData(DeliveryHeaders.Attempt)]
    [InlineData(DeliveryHeaders.FirstAttemptAt)]
    [InlineData(DeliveryHeaders.OriginalTopic)]
    [InlineData(DeliveryHeaders.OriginalPartition)]
    [InlineData(DeliveryHeaders.OriginalOffset)]
    public void TryDecode_RequiredHeaderMissing_FalseNamingTheHeader(string key)
    {
        var headers = DeliveryHeaderCodec.Encode(null, Sample(), 4096);
        headers.Remove(key);

        Assert.False(DeliveryHeaderCodec.TryDecode(headers, out _, out var problem));
        Assert.Equal($"{key}: is missing", problem);
    }

    [Fact]
    public void TryDecode_InvalidUtf8_False()
    {
        var headers = Replace(DeliveryHeaderCodec.Encode(null, Sample(), 4096), DeliveryHeaders.EventId, [0xc3, 0x28]);

        Assert.False(DeliveryHeaderCodec.TryDecode(headers, out _, out var problem));
        Assert.Equal("delivery-event-id: is not valid UTF-8", problem);
    }

    [Fact]
    public void TryDecode_DuplicatedDeliveryHeader_False()
    {
        var headers = DeliveryHeaderCodec.Encode(null, Sample(), 4096);
        headers.Add(DeliveryHeaders.Attempt, Encoding.UTF8.GetBytes("3"));

        Assert.False(DeliveryHeaderCodec.TryDecode(headers, out _, out var problem));
        Assert.Equal("delivery-attempt: appears more than once", problem);
    }

    [Fact]
    public void SourceRecordHeadersRead_EncodedRecord_DropsDeliveryHeadersKeepsOthers()
    {
        var original = new Headers { { "a", [1] }, { "n", null } };
        var headers = DeliveryHeaderCodec.Encode(original, Sample(), 4096);

        var events = SourceRecordHeaders.Read(headers, null).EventHeaders;

        Assert.Equal(["a", "n"], events.Select(h => h.Key));
        Assert.Equal(new byte[] { 1 }, events[0].Value.ToArray());
        Assert.True(events[1].Value.IsEmpty);
    }

    private static Headers Replace(Headers headers, string key, byte[] value)
    {
        var result = new Headers();
        foreach (var header in headers)
        {
            result.Add(header.Key, header.Key == key ? value : header.GetValueBytes());
        }

        return result;
    }
}
