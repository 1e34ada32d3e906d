using System.Text;
using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Worker.Kafka;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class RecordDecoderTests
{
    private static readonly DateTimeOffset Now = PipelineUnits.Start;

    private static Headers RetryHeaders(DateTimeOffset? notBefore, int attempt = 2) => DeliveryHeaderCodec.Encode(
        [new Header("custom", [1, 2])],
        new DeliveryRecordHeaders
        {
            EventId = "ev-1",
            Attempt = attempt,
            NotBefore = notBefore,
            FirstAttemptAt = Now.AddMinutes(-5),
            Origin = new EventOrigin("orders", 3, 42, Now.UtcDateTime),
        },
        1024);

    [Fact]
    public void Decode_SourceRecordWithTheEventIdHeader_IsAFirstAttemptWithThatId()
    {
        var headers = new Headers { { "event-id", Encoding.UTF8.GetBytes("abc") } };

        var decoded = new RecordDecoder("event-id").Decode(PipelineUnits.Consumed("orders", 1, 7, headers), isRetryTier: false, Now);

        Assert.Equal(DecodedKind.Ready, decoded.Kind);
        Assert.Equal("abc", decoded.Event!.EventId);
        Assert.Equal(1, decoded.Event.Attempt);
        Assert.Equal(Now, decoded.Event.FirstAttemptAt);
        Assert.Equal(new EventOrigin("orders", 1, 7, Now.UtcDateTime), decoded.Event.Origin);
    }

    [Fact]
    public void Decode_SourceRecordWithoutAnId_UsesTopicPartitionOffset()
    {
        var decoded = new RecordDecoder("event-id").Decode(PipelineUnits.Consumed("orders", 1, 7, []), isRetryTier: false, Now);

        Assert.Equal("orders/1/7", decoded.Event!.EventId);
    }

    [Fact]
    public void Decode_RetryRecordNotYetDue_ReportsItsDueTime()
    {
        var due = Now.AddSeconds(30);

        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, RetryHeaders(due)), isRetryTier: true, Now);

        Assert.Equal(DecodedKind.NotYetDue, decoded.Kind);
        Assert.Equal(due.ToUnixTimeMilliseconds(), decoded.DueAt.ToUnixTimeMilliseconds());
        Assert.Null(decoded.Event);
    }

    [Theory]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void Decode_RetryRecordWithinThePrefetchWindow_ReadyWithItsDueTime(int dueInMs, bool ready)
    {
        var expected = ready ? DecodedKind.Ready : DecodedKind.NotYetDue;
        var due = Now.AddMilliseconds(dueInMs);

        var decoded = new RecordDecoder(null, TimeSpan.FromSeconds(1)).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, RetryHeaders(due, attempt: 2)), isRetryTier: true, Now);

        Assert.Equal(expected, decoded.Kind);
        Assert.Equal(due.ToUnixTimeMilliseconds(), decoded.DueAt.ToUnixTimeMilliseconds());
        Assert.Equal(expected == DecodedKind.Ready, decoded.Event is not null);
    }

    [Fact]
    public void AtDue_RetryRecordNotYetDue_IsItsNextAttemptWithItsRedriveCount()
    {
        var due = Now.AddHours(1);
        var headers = DeliveryHeaderCodec.Encode([], new DeliveryRecordHeaders
        {
            EventId = "ev-1",
            Attempt = 3,
            NotBefore = due,
            FirstAttemptAt = Now.AddMinutes(-5),
            Origin = new EventOrigin("orders", 3, 42, Now.UtcDateTime),
            RedriveCount = 2,
        }, 1024);

        var decoded = RecordDecoder.AtDue(PipelineUnits.Consumed("d.retry.1", 0, 5, headers), due);

        Assert.Equal(DecodedKind.Ready, decoded.Kind);
        Assert.Equal("ev-1", decoded.Event!.EventId);
        Assert.Equal(4, decoded.Event.Attempt);
        Assert.Equal(2, decoded.RedriveCount);
    }

    [Fact]
    public void Decode_RetryRecordDue_IsTheNextAttemptOfTheOriginalEvent()
    {
        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, RetryHeaders(Now, attempt: 2)), isRetryTier: true, Now);

        Assert.Equal(DecodedKind.Ready, decoded.Kind);
        Assert.Equal("ev-1", decoded.Event!.EventId);
        Assert.Equal(3, decoded.Event.Attempt);
        Assert.Equal(new EventOrigin("orders", 3, 42, Now.UtcDateTime), decoded.Event.Origin);
        Assert.Contains(decoded.Event.Headers, h => h.Key == "custom");
    }

    [Fact]
    public void Decode_RetryRecordWithoutDeliveryHeaders_IsMalformed()
    {
        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, []), isRetryTier: true, Now);

        Assert.Equal(DecodedKind.Malformed, decoded.Kind);
        Assert.NotNull(decoded.Problem);
        Assert.Equal("d.retry.1/0/5", decoded.Event!.EventId);
    }

    [Fact]
    public void Decode_RetryRecordWithoutNotBefore_IsMalformed()
    {
        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, RetryHeaders(null)), isRetryTier: true, Now);

        Assert.Equal(DecodedKind.Malformed, decoded.Kind);
        Assert.Contains(DeliveryHeaders.NotBefore, decoded.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_SourceRecordWithoutTheConfiguredHeader_UsesTheDeliveryEventIdHeader()
    {
        var headers = new Headers { { DeliveryHeaders.EventId, Encoding.UTF8.GetBytes("from-dlq") } };

        var decoded = new RecordDecoder("event-id").Decode(PipelineUnits.Consumed("orders", 1, 7, headers), isRetryTier: false, Now);

        Assert.Equal("from-dlq", decoded.Event!.EventId);
    }

    [Fact]
    public void Decode_SourceRecordWithAnEmptyConfiguredHeader_FallsBackToTheDeliveryEventId()
    {
        var headers = new Headers { { "event-id", [] }, { DeliveryHeaders.EventId, Encoding.UTF8.GetBytes("from-dlq") } };

        var decoded = new RecordDecoder("event-id").Decode(PipelineUnits.Consumed("orders", 1, 7, headers), isRetryTier: false, Now);

        Assert.Equal("from-dlq", decoded.Event!.EventId);
    }

    [Fact]
    public void Decode_SourceRecordWithAnEmptyDeliveryEventId_UsesTopicPartitionOffset()
    {
        var headers = new Headers { { DeliveryHeaders.EventId, [] } };

        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("orders", 1, 7, headers), isRetryTier: false, Now);

        Assert.Equal("orders/1/7", decoded.Event!.EventId);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("-1", 0)]
    [InlineData("x", 0)]
    public void Decode_RedrivenSourceRecord_CarriesItsRedriveCount(string header, int expected)
    {
        var headers = new Headers { { DeliveryHeaders.RedriveCount, Encoding.UTF8.GetBytes(header) } };

        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("orders", 1, 7, headers), isRetryTier: false, Now);

        Assert.Equal(expected, decoded.RedriveCount);
    }

    [Fact]
    public void Decode_SourceRecord_KeepsKeyValueTraceParentAndNonDeliveryHeaders()
    {
        var headers = new Headers
        {
            { "traceparent", Encoding.UTF8.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01") },
            { "tenant", Encoding.UTF8.GetBytes("t1") },
            { DeliveryHeaders.RedriveCount, Encoding.UTF8.GetBytes("1") },
        };

        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("orders", 1, 7, headers, value: "{\"a\":1}"), isRetryTier: false, Now);

        Assert.Equal("k", Encoding.UTF8.GetString(decoded.Event!.Key!.Value.Span));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(decoded.Event.Value.Span));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", decoded.Event.TraceParent);
        Assert.Equal(["traceparent", "tenant"], decoded.Event.Headers.Select(h => h.Key));
        Assert.Null(decoded.Problem);
    }

    [Fact]
    public void Decode_TombstoneSourceRecord_HasAnEmptyValue()
    {
        var consumed = PipelineUnits.Consumed("orders", 1, 7, []);
        consumed.Message.Value = null!;

        var decoded = new RecordDecoder(null).Decode(consumed, isRetryTier: false, Now);

        Assert.Equal(DecodedKind.Ready, decoded.Kind);
        Assert.True(decoded.Event!.Value.IsEmpty);
    }

    [Fact]
    public void Decode_RetryRecordDue_KeepsFirstAttemptTimeRedriveCountAndTraceParent()
    {
        var headers = DeliveryHeaderCodec.Encode(
            [new Header("traceparent", Encoding.UTF8.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))],
            new DeliveryRecordHeaders
            {
                EventId = "ev-1",
                Attempt = 1,
                NotBefore = Now,
                FirstAttemptAt = Now.AddMinutes(-5),
                Origin = new EventOrigin("orders", 3, 42, Now.UtcDateTime),
                RedriveCount = 2,
            },
            1024);

        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, headers), isRetryTier: true, Now);

        Assert.Equal(DecodedKind.Ready, decoded.Kind);
        Assert.Equal(2, decoded.RedriveCount);
        Assert.Equal(2, decoded.Event!.Attempt);
        Assert.Equal(Now.AddMinutes(-5).ToUnixTimeMilliseconds(), decoded.Event.FirstAttemptAt.ToUnixTimeMilliseconds());
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", decoded.Event.TraceParent);
        Assert.Equal("k", Encoding.UTF8.GetString(decoded.Event.Key!.Value.Span));
        Assert.Equal("{}", Encoding.UTF8.GetString(decoded.Event.Value.Span));
    }

    [Fact]
    public void Decode_RetryRecordDueExactlyNow_IsReady()
    {
        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, RetryHeaders(Now)), isRetryTier: true, Now);

        Assert.Equal(DecodedKind.Ready, decoded.Kind);
    }

    [Fact]
    public void Decode_RetryRecordWithAttemptZero_IsMalformedKeepingItsIdAndAttempt()
    {
        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, RetryHeaders(Now, attempt: 0)), isRetryTier: true, Now);

        Assert.Equal(DecodedKind.Malformed, decoded.Kind);
        Assert.Equal($"{DeliveryHeaders.Attempt}: must be at least 1", decoded.Problem);
        Assert.Equal("ev-1", decoded.Event!.EventId);
        Assert.Equal(0, decoded.Event.Attempt);
        Assert.Equal(Now, decoded.Event.FirstAttemptAt);
        Assert.Equal(new EventOrigin("d.retry.1", 0, 5, Now.UtcDateTime), decoded.Event.Origin);
        Assert.Equal(0, decoded.RedriveCount);
    }

    [Fact]
    public void Decode_RetryRecordWithAttemptOneAndABrokenHeader_IsMalformedKeepingItsAttempt()
    {
        var headers = RetryHeaders(Now, attempt: 1);
        headers.Remove(DeliveryHeaders.OriginalTopic);

        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, headers), isRetryTier: true, Now);

        Assert.Equal(DecodedKind.Malformed, decoded.Kind);
        Assert.Contains(DeliveryHeaders.OriginalTopic, decoded.Problem, StringComparison.Ordinal);
        Assert.Equal(1, decoded.Event!.Attempt);
        Assert.Contains(decoded.Event.Headers, h => h.Key == "custom");
    }

    [Fact]
    public void Decode_RetryRecordWithoutDeliveryHeaders_SaysTheyAreMissing()
    {
        var decoded = new RecordDecoder(null).Decode(PipelineUnits.Consumed("d.retry.1", 0, 5, []), isRetryTier: true, Now);

        Assert.Equal("the delivery headers are missing", decoded.Problem);
        Assert.Equal(0, decoded.Event!.Attempt);
        Assert.Equal("k", Encoding.UTF8.GetString(decoded.Event.Key!.Value.Span));
        Assert.Equal("{}", Encoding.UTF8.GetString(decoded.Event.Value.Span));
    }

    [Fact]
    public void Decode_NullResult_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RecordDecoder(null).Decode(null!, isRetryTier: true, Now));
        Assert.Throws<ArgumentNullException>(() => RecordDecoder.AtDue(null!, Now));
    }
}
