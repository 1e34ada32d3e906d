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
}
