using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Core.Outcomes;
using Delivery.Worker.Dlq;
using Delivery.Worker.Kafka;

namespace Delivery.Worker.Tests.Dlq;

public sealed class DlqFilterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Matches_NoCriteria_MatchesEverything() => Assert.True(new DlqFilter().Matches(Record(DeadLetterReason.NonRetryable, 400, "BAD_REQUEST")));

    [Fact]
    public void Matches_EveryCriterion_MustHold()
    {
        var record = Record(DeadLetterReason.RetriesExhausted, 503, "RETRYABLE_ERROR");

        Assert.True(new DlqFilter { Reasons = ["retriesexhausted"], Statuses = [429, 503], ErrorTypes = ["retryable_error"], Since = At, Until = At.AddSeconds(1) }.Matches(record));
        Assert.False(new DlqFilter { Reasons = ["NonRetryable"] }.Matches(record));
        Assert.False(new DlqFilter { Statuses = [400] }.Matches(record));
        Assert.False(new DlqFilter { ErrorTypes = ["BAD_REQUEST"] }.Matches(record));
        Assert.False(new DlqFilter { Since = At.AddTicks(1) }.Matches(record));
        Assert.False(new DlqFilter { Until = At }.Matches(record)); // until is exclusive
    }

    private static DlqRecord Record(DeadLetterReason reason, int status, string errorType)
    {
        var headers = new DeliveryRecordHeaders
        {
            EventId = "e",
            Attempt = 1,
            FirstAttemptAt = At,
            Origin = new EventOrigin("t", 0, 0, At),
            Error = new DeliveryError(status, errorType, "m", null),
            DeadLetterReason = reason,
            DeadLetteredAt = At,
        };
        return new DlqRecord(0, 0, At, new Message<byte[], byte[]> { Value = [] }, headers, null);
    }
}
