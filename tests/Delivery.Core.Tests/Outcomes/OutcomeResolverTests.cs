using System.Net.Sockets;
using System.Text.Json.Nodes;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Options;
using Delivery.Core.Outcomes;
using Delivery.Core.Retry;

namespace Delivery.Core.Tests.Outcomes;

public sealed class OutcomeResolverTests
{
    private static readonly DateTimeOffset Now = TestEvents.Now;

    private static RetryPolicy Policy(Action<RetryOptions>? configure = null, double jitter = 0)
    {
        var options = new RetryOptions { Jitter = jitter };
        configure?.Invoke(options);
        return new RetryPolicy(options);
    }

    private static MultiStatusResponse Answer(params ActionDestinationResponse?[] slots)
    {
        var ms = new MultiStatusResponse();
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] is { } slot)
            {
                ms.PushResponseObjectAtIndex(i, slot);
            }
        }

        return ms;
    }

    private static ActionDestinationSuccessResponse Ok => new() { Status = 200 };

    private static ActionDestinationErrorResponse Error(int status, string? type = null, TimeSpan? retryAfter = null)
        => new() { Status = status, ErrorType = type!, ErrorMessage = $"failed with {status}", RetryAfter = retryAfter };

    private static EventOutcome Single(ActionDestinationResponse slot, RetryPolicy? policy = null, int attempt = 1, DateTimeOffset? firstAttemptAt = null)
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(1, attempt, firstAttemptAt), Answer(slot), policy ?? Policy(), Now, new Random(1));
        return Assert.Single(resolution.Outcomes);
    }

    [Fact]
    public void Resolve_Success_DeliveredSingleton()
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(2), Answer(Ok, new ActionDestinationSuccessResponse { Status = 204 }), Policy(), Now, new Random(1));

        Assert.False(resolution.IsHold);
        Assert.All(resolution.Outcomes, o => Assert.Same(EventOutcome.Delivered, o));
        Assert.Equal(0, resolution.ContractViolations);
        Assert.Null(resolution.HoldError);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(423)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(511)]
    [InlineData(598)]
    [InlineData(599)]
    public void Resolve_RetryableStatus_Retry(int status)
    {
        var retry = Assert.IsType<EventOutcome.Retry>(Single(Error(status)));
        Assert.Equal(status, retry.Error.Status);
        Assert.Equal(1, retry.Tier);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(422)]
    [InlineData(501)]
    [InlineData(530)]
    public void Resolve_NonRetryableStatus_DeadLetterNonRetryable(int status)
    {
        var dead = Assert.IsType<EventOutcome.DeadLetter>(Single(Error(status)));
        Assert.Equal(DeadLetterReason.NonRetryable, dead.Reason);
        Assert.Equal(status, dead.Error.Status);
    }

    [Theory]
    [InlineData(ErrorCodes.RetryableError)]
    [InlineData(ErrorCodes.SelfTimeout)]
    [InlineData(ErrorCodes.MissingResponse)]
    [InlineData(ErrorCodes.HandlerException)]
    public void Resolve_NonRetryableStatusButRetryableType_Retry(string type)
        => Assert.IsType<EventOutcome.Retry>(Single(Error(400, type)));

    [Fact]
    public void Resolve_ConfiguredStatusList_ReplacesDefaults()
    {
        var policy = Policy(o => o.RetryableStatusCodes = [400]);

        Assert.IsType<EventOutcome.Retry>(Single(Error(400), policy));
        Assert.IsType<EventOutcome.DeadLetter>(Single(Error(503), policy));
    }

    [Fact]
    public void Resolve_ConfiguredTypeList_ReplacesDefaults()
    {
        var policy = Policy(o => o.RetryableErrorTypes = [ErrorCodes.PayloadValidationFailed]);

        Assert.IsType<EventOutcome.Retry>(Single(Error(400, ErrorCodes.PayloadValidationFailed), policy));
        Assert.IsType<EventOutcome.DeadLetter>(Single(Error(400, ErrorCodes.RetryableError), policy));
    }

    [Fact]
    public void Resolve_EmptyTypeList_OnlyStatusesRetry()
    {
        var policy = Policy(o => o.RetryableErrorTypes = []);

        Assert.IsType<EventOutcome.DeadLetter>(Single(Error(400, ErrorCodes.RetryableError), policy));
        Assert.IsType<EventOutcome.Retry>(Single(Error(503), policy));
    }

    [Fact]
    public void Resolve_AttemptBelowMax_Retry()
        => Assert.IsType<EventOutcome.Retry>(Single(Error(503), Policy(o => o.MaxAttempts = 3), attempt: 2));

    [Fact]
    public void Resolve_AttemptAtMax_RetriesExhausted()
    {
        var dead = Assert.IsType<EventOutcome.DeadLetter>(Single(Error(503), Policy(o => o.MaxAttempts = 3), attempt: 3));
        Assert.Equal(DeadLetterReason.RetriesExhausted, dead.Reason);
    }

    [Fact]
    public void Resolve_MaxAttemptsOne_FirstFailureExhausted()
    {
        var dead = Assert.IsType<EventOutcome.DeadLetter>(Single(Error(503), Policy(o => o.MaxAttempts = 1)));
        Assert.Equal(DeadLetterReason.RetriesExhausted, dead.Reason);
    }

    [Fact]
    public void Resolve_NonRetryableAtLastAttempt_NonRetryableWins()
    {
        var dead = Assert.IsType<EventOutcome.DeadLetter>(Single(Error(400), Policy(o => o.MaxAttempts = 2), attempt: 2));
        Assert.Equal(DeadLetterReason.NonRetryable, dead.Reason);
    }

    [Fact]
    public void Resolve_AgeAtMaxAge_MaxAgeExceeded()
    {
        var dead = Assert.IsType<EventOutcome.DeadLetter>(Single(Error(503), Policy(o => o.MaxAge = TimeSpan.FromHours(4)), attempt: 2, firstAttemptAt: Now - TimeSpan.FromHours(4)));
        Assert.Equal(DeadLetterReason.MaxAgeExceeded, dead.Reason);
    }

    [Fact]
    public void Resolve_AgeJustBelowMaxAge_Retry()
        => Assert.IsType<EventOutcome.Retry>(Single(Error(503), Policy(o => o.MaxAge = TimeSpan.FromHours(4)), attempt: 2, firstAttemptAt: Now - TimeSpan.FromHours(4) + TimeSpan.FromTicks(1)));

    [Fact]
    public void Resolve_ExhaustedAndTooOld_RetriesExhausted()
    {
        var dead = Assert.IsType<EventOutcome.DeadLetter>(Single(Error(503), Policy(o => o.MaxAttempts = 2), attempt: 2, firstAttemptAt: Now - TimeSpan.FromDays(1)));
        Assert.Equal(DeadLetterReason.RetriesExhausted, dead.Reason);
    }

    [Fact]
    public void Resolve_FirstAttemptAtNotSet_AgeZeroNotMaxAge()
    {
        // Regression: default(DateTimeOffset) made every failure look 2000 years old and dead-lettered it.
        var evt = new DeliveryEvent { EventId = "e", Value = "{}"u8.ToArray() };
        var resolution = OutcomeResolver.Resolve(new DeliveryBatch("orders", [evt]), Answer(Error(503)), Policy(), Now, new Random(1));

        var retry = Assert.IsType<EventOutcome.Retry>(Assert.Single(resolution.Outcomes));
        Assert.Equal(Now + TimeSpan.FromSeconds(5), retry.DueAt);
    }

    [Fact]
    public void Resolve_FirstAttemptInTheFuture_Retry()
        => Assert.IsType<EventOutcome.Retry>(Single(Error(503), firstAttemptAt: Now + TimeSpan.FromMinutes(1)));

    [Fact]
    public void Resolve_ErrorDetails_Carried()
    {
        var slot = new ActionDestinationErrorResponse
        {
            Status = 503,
            ErrorType = ErrorCodes.RetryableError,
            ErrorMessage = "busy",
            Body = new JsonObject { ["reason"] = "overloaded" },
        };

        var retry = Assert.IsType<EventOutcome.Retry>(Single(slot));

        Assert.Equal(new DeliveryError(503, ErrorCodes.RetryableError, "busy", "{\"reason\":\"overloaded\"}"), retry.Error);
    }

    [Fact]
    public void Resolve_InferredType_Carried()
    {
        var dead = Assert.IsType<EventOutcome.DeadLetter>(Single(Error(404)));
        Assert.Equal(ErrorCodes.NotFound, dead.Error.ErrorType);
        Assert.Null(dead.Error.Body);
    }

    [Fact]
    public void Resolve_UnsetSlot_MissingResponseRetryableAndCounted()
    {
        var ms = Answer(Ok, null, Ok);

        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(3), ms, Policy(), Now, new Random(1));

        var retry = Assert.IsType<EventOutcome.Retry>(resolution.Outcomes[1]);
        Assert.Equal(500, retry.Error.Status);
        Assert.Equal(ErrorCodes.MissingResponse, retry.Error.ErrorType);
        Assert.Equal(1, resolution.ContractViolations);
        Assert.Same(EventOutcome.Delivered, resolution.Outcomes[0]);
        Assert.Same(EventOutcome.Delivered, resolution.Outcomes[2]);
    }

    [Fact]
    public void Resolve_ShortResponse_MissingForEachAbsentSlot()
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(4), Answer(Ok), Policy(), Now, new Random(1));

        Assert.Equal(4, resolution.Outcomes.Count);
        Assert.Same(EventOutcome.Delivered, resolution.Outcomes[0]);
        Assert.All(resolution.Outcomes.Skip(1), o => Assert.Equal(ErrorCodes.MissingResponse, Assert.IsType<EventOutcome.Retry>(o).Error.ErrorType));
        Assert.Equal(3, resolution.ContractViolations);
    }

    [Fact]
    public void Resolve_EmptyResponse_NeverSilentSuccess()
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(2), new MultiStatusResponse(), Policy(), Now, new Random(1));

        Assert.DoesNotContain(EventOutcome.Delivered, resolution.Outcomes);
        Assert.Equal(2, resolution.ContractViolations);
    }

    [Fact]
    public void Resolve_MissingSlotAtLastAttempt_RetriesExhausted()
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(1, attempt: 10), new MultiStatusResponse(), Policy(), Now, new Random(1));

        var dead = Assert.IsType<EventOutcome.DeadLetter>(Assert.Single(resolution.Outcomes));
        Assert.Equal(DeadLetterReason.RetriesExhausted, dead.Reason);
        Assert.Equal(ErrorCodes.MissingResponse, dead.Error.ErrorType);
    }

    [Fact]
    public void Resolve_ExtraSlots_IgnoredAndCounted()
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(2), Answer(Ok, Ok, Ok, Error(400)), Policy(), Now, new Random(1));

        Assert.Equal(2, resolution.Outcomes.Count);
        Assert.All(resolution.Outcomes, o => Assert.Same(EventOutcome.Delivered, o));
        Assert.Equal(2, resolution.ContractViolations);
    }

    [Fact]
    public void Resolve_UnsetSlotsBeyondBatch_NotCounted()
    {
        // Regression: holes beyond the batch are not answers; only set slots there violate the contract.
        var ms = Answer(Ok, Ok, Ok, Ok);
        ms.UnsetResponseAtIndex(2);
        ms.UnsetResponseAtIndex(3);

        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(2), ms, Policy(), Now, new Random(1));

        Assert.Equal(0, resolution.ContractViolations);
        Assert.Equal(4, ms.Length);
    }

    [Fact]
    public void Resolve_RetryAfterLongerThanTier_RetryAfterWins()
    {
        var retry = Assert.IsType<EventOutcome.Retry>(Single(Error(429, retryAfter: TimeSpan.FromMinutes(1)), Policy(jitter: 0.2)));

        Assert.Equal(Now + TimeSpan.FromMinutes(1), retry.DueAt);

        // A minute waits in the longest tier whose delay it covers (30 s), not among the 5 s retries.
        Assert.Equal(2, retry.Tier);
    }

    [Fact]
    public void Resolve_RetryAfterAboveMaxRetryAfter_CappedToMaxRetryAfter()
    {
        // Issue 17: one event answering Retry-After: 86400 parked its retry (and its tier partition) for a day.
        var policy = Policy(o => o.MaxRetryAfter = TimeSpan.FromMinutes(10));

        var retry = Assert.IsType<EventOutcome.Retry>(Single(Error(429, retryAfter: TimeSpan.FromDays(1)), policy));

        Assert.Equal(Now + TimeSpan.FromMinutes(10), retry.DueAt);
    }

    [Fact]
    public void Resolve_RetryAfterAboveDefaultCap_CappedToOneHour()
    {
        var retry = Assert.IsType<EventOutcome.Retry>(Single(Error(503, retryAfter: TimeSpan.FromSeconds(86400))));

        Assert.Equal(Now + TimeSpan.FromHours(1), retry.DueAt);
    }

    [Fact]
    public void Resolve_RetryAfterAtMaxRetryAfter_Kept()
    {
        var policy = Policy(o => o.MaxRetryAfter = TimeSpan.FromMinutes(10));

        var retry = Assert.IsType<EventOutcome.Retry>(Single(Error(429, retryAfter: TimeSpan.FromMinutes(10)), policy));

        Assert.Equal(Now + TimeSpan.FromMinutes(10), retry.DueAt);
    }

    [Fact]
    public void Resolve_RetryAfterPastMaxAge_DeadLetteredAtOnceMaxAgeExceeded()
    {
        // Age 3 h 30 min of 4 h; the capped Retry-After (1 h) would bring it back at 4 h 30 min: dead-lettered now.
        var policy = Policy(o => o.MaxAge = TimeSpan.FromHours(4));

        var dead = Assert.IsType<EventOutcome.DeadLetter>(Single(
            Error(503, retryAfter: TimeSpan.FromDays(1)), policy, attempt: 2, firstAttemptAt: Now - TimeSpan.FromMinutes(210)));

        Assert.Equal(DeadLetterReason.MaxAgeExceeded, dead.Reason);
        Assert.Equal(503, dead.Error.Status);
    }

    [Fact]
    public void Resolve_RetryAfterEndingExactlyAtMaxAge_Retry()
    {
        var policy = Policy(o => o.MaxAge = TimeSpan.FromHours(4));

        var retry = Assert.IsType<EventOutcome.Retry>(Single(
            Error(503, retryAfter: TimeSpan.FromHours(1)), policy, attempt: 2, firstAttemptAt: Now - TimeSpan.FromHours(3)));

        Assert.Equal(Now + TimeSpan.FromHours(1), retry.DueAt);
    }

    [Fact]
    public void Resolve_RetryAfterOneTickPastMaxAge_MaxAgeExceeded()
    {
        var policy = Policy(o => o.MaxAge = TimeSpan.FromHours(4));

        var dead = Assert.IsType<EventOutcome.DeadLetter>(Single(
            Error(503, retryAfter: TimeSpan.FromHours(1)), policy, attempt: 2, firstAttemptAt: Now - TimeSpan.FromHours(3) - TimeSpan.FromTicks(1)));

        Assert.Equal(DeadLetterReason.MaxAgeExceeded, dead.Reason);
    }

    [Fact]
    public void Resolve_CappedRetryAfterWithinMaxAge_Retry()
    {
        // Uncapped, the day-long Retry-After would pass MaxAge; capped to 10 min it does not: the event is retried.
        var policy = Policy(o =>
        {
            o.MaxAge = TimeSpan.FromHours(4);
            o.MaxRetryAfter = TimeSpan.FromMinutes(10);
        });

        var retry = Assert.IsType<EventOutcome.Retry>(Single(
            Error(429, retryAfter: TimeSpan.FromDays(1)), policy, attempt: 2, firstAttemptAt: Now - TimeSpan.FromHours(3)));

        Assert.Equal(Now + TimeSpan.FromMinutes(10), retry.DueAt);
    }

    [Fact]
    public void Resolve_TierDelayPastMaxAgeWithoutRetryAfter_StillRetried()
    {
        // Only the destination's Retry-After dead-letters early; a tier delay keeps the event's last attempt.
        var policy = Policy(o => o.MaxAge = TimeSpan.FromHours(4));

        Assert.IsType<EventOutcome.Retry>(Single(Error(503), policy, attempt: 5, firstAttemptAt: Now - TimeSpan.FromMinutes(235)));
    }

    [Fact]
    public void Resolve_DestinationGone_HoldWith410NotDeadLettered()
    {
        var exception = new DestinationGoneException("the webhook endpoint answered 410 Gone", "http://127.0.0.1:9", TimeSpan.FromMinutes(10));

        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(3), exception, Policy(), Now, new Random(1));

        Assert.True(resolution.IsHold);
        Assert.Empty(resolution.Outcomes);
        Assert.Equal(new DeliveryError(410, ErrorCodes.Gone, "the webhook endpoint answered 410 Gone"), resolution.HoldError);
        Assert.Equal(TimeSpan.FromMinutes(10), resolution.HoldRetryAfter);
    }

    [Fact]
    public void Resolve_HoldRetryAfterAboveMaxRetryAfter_NotCapped()
    {
        // The hold path is bounded by Delivery:Pipeline:HoldMaxBackoff, not by Retry:MaxRetryAfter.
        var policy = Policy(o => o.MaxRetryAfter = TimeSpan.FromMinutes(1));
        var exception = new DestinationUnavailableException("down", 503, TimeSpan.FromHours(2));

        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(1), exception, policy, Now, new Random(1));

        Assert.True(resolution.IsHold);
        Assert.Equal(TimeSpan.FromHours(2), resolution.HoldRetryAfter);
    }

    [Fact]
    public void Resolve_RetryAfterShorterThanTier_TierDelayWins()
    {
        var retry = Assert.IsType<EventOutcome.Retry>(Single(Error(429, retryAfter: TimeSpan.FromSeconds(1))));

        Assert.Equal(Now + TimeSpan.FromSeconds(5), retry.DueAt);
        Assert.Equal(1, retry.Tier);
    }

    [Fact]
    public void Resolve_OneDayRetryAfterCappedToDefault_SentToTheLongestTierItCovers()
    {
        var retry = Assert.IsType<EventOutcome.Retry>(Single(Error(503, retryAfter: TimeSpan.FromDays(1))));

        Assert.Equal(Now + TimeSpan.FromHours(1), retry.DueAt);
        Assert.Equal(5, retry.Tier);
    }

    [Theory]
    [InlineData(1, 1, 5)]
    [InlineData(2, 2, 30)]
    [InlineData(3, 3, 120)]
    [InlineData(5, 5, 1800)]
    [InlineData(6, 5, 1800)]
    [InlineData(9, 5, 1800)]
    public void Resolve_TierFollowsAttemptsAndLastRepeats(int attempt, int tier, int seconds)
    {
        var retry = Assert.IsType<EventOutcome.Retry>(Single(Error(503), attempt: attempt));

        Assert.Equal(tier, retry.Tier);
        Assert.Equal(Now + TimeSpan.FromSeconds(seconds), retry.DueAt);
    }

    [Fact]
    public void Resolve_Jitter_WithinBoundsAndSpread()
    {
        var policy = Policy(jitter: 0.2);
        var random = new Random(42);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 500; i++)
        {
            var resolution = OutcomeResolver.Resolve(TestEvents.Batch(1), Answer(Error(503)), policy, Now, random);
            delays.Add(Assert.IsType<EventOutcome.Retry>(resolution.Outcomes[0]).DueAt - Now);
        }

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6)));
        Assert.True(delays.Min() < TimeSpan.FromSeconds(4.2), "jitter never went low");
        Assert.True(delays.Max() > TimeSpan.FromSeconds(5.8), "jitter never went high");
    }

    [Fact]
    public void Resolve_SameSeed_SameDueTimes()
    {
        var policy = Policy(jitter: 0.2);

        var a = OutcomeResolver.Resolve(TestEvents.Batch(5), new MultiStatusResponse(), policy, Now, new Random(3)).Outcomes;
        var b = OutcomeResolver.Resolve(TestEvents.Batch(5), new MultiStatusResponse(), policy, Now, new Random(3)).Outcomes;

        Assert.Equal(a, b);
    }

    [Fact]
    public void Resolve_DuplicateDelays_OneTierPerDistinctDelay()
    {
        var policy = Policy(o => o.Delays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)]);

        var tiers = Enumerable.Range(1, 4).Select(a => Assert.IsType<EventOutcome.Retry>(Single(Error(503), policy, attempt: a)).Tier);

        Assert.Equal([1, 1, 2, 2], tiers);
    }

    [Theory]
    [InlineData(429, 30)]
    [InlineData(503, null)]
    public void Resolve_DestinationUnavailable_HoldWithStatusAndRetryAfter(int status, int? retryAfterSeconds)
    {
        TimeSpan? retryAfter = retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
        var exception = new DestinationUnavailableException("Nakadi is down", status, retryAfter);

        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(3), exception, Policy(), Now, new Random(1));

        Assert.True(resolution.IsHold);
        Assert.Empty(resolution.Outcomes);
        Assert.Equal(new DeliveryError(status, ErrorCodes.FromHttpStatus(status), "Nakadi is down"), resolution.HoldError);
        Assert.Equal(retryAfter, resolution.HoldRetryAfter);
        Assert.Equal(0, resolution.ContractViolations);
    }

    [Fact]
    public void Resolve_DestinationUnavailableWithoutStatus_Hold503()
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(1), new DestinationUnavailableException(), Policy(), Now, new Random(1));

        Assert.True(resolution.IsHold);
        Assert.Equal(503, resolution.HoldError!.Status);
        Assert.Equal(ErrorCodes.ServiceUnavailable, resolution.HoldError.ErrorType);
        Assert.Null(resolution.HoldRetryAfter);
    }

    public static TheoryData<Exception, int> HoldExceptions => new()
    {
        { new TimeoutException("10 s"), 504 },
        { new TaskCanceledException("HttpClient.Timeout"), 504 },
        { new HttpRequestException("Connection refused"), 503 },
        { new SocketException((int)SocketError.ConnectionRefused), 503 },
        { new InvalidOperationException("wrapped", new TimeoutException()), 504 },
        { new AggregateException(new HttpRequestException("reset")), 503 },
        { new InvalidOperationException("outer", new DestinationUnavailableException("down", 502)), 502 },
        { new HttpRequestException("wrapped", new DestinationUnavailableException("auth", 401)), 503 },
    };

    [Theory]
    [MemberData(nameof(HoldExceptions))]
    public void Resolve_DestinationLevelException_Hold(Exception exception, int status)
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(2), exception, Policy(), Now, new Random(1));

        Assert.True(resolution.IsHold);
        Assert.Equal(status, resolution.HoldError!.Status);
        Assert.Equal(ErrorCodes.FromHttpStatus(status), resolution.HoldError.ErrorType);
        Assert.Empty(resolution.Outcomes);
    }

    public static TheoryData<Exception> HandlerExceptions => new()
    {
        new InvalidOperationException("bug"),
        new KeyNotFoundException("no such field"),
        new HttpRequestException("500 from EnsureSuccessStatusCode", null, System.Net.HttpStatusCode.InternalServerError),
        new FormatException("bad payload"),
    };

    [Theory]
    [MemberData(nameof(HandlerExceptions))]
    public void Resolve_OtherException_HandlerExceptionRetryForEveryEvent(Exception exception)
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(3), exception, Policy(), Now, new Random(1));

        Assert.False(resolution.IsHold);
        Assert.Equal(3, resolution.Outcomes.Count);
        Assert.All(resolution.Outcomes, o =>
        {
            var retry = Assert.IsType<EventOutcome.Retry>(o);
            Assert.Equal(500, retry.Error.Status);
            Assert.Equal(ErrorCodes.HandlerException, retry.Error.ErrorType);
            Assert.StartsWith(exception.GetType().Name + ": ", retry.Error.Message, StringComparison.Ordinal);
        });
        Assert.Equal(0, resolution.ContractViolations);
    }

    [Fact]
    public void Resolve_HandlerExceptionAtLastAttempt_RetriesExhausted()
    {
        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(1, attempt: 10), new InvalidOperationException("bug"), Policy(), Now, new Random(1));

        var dead = Assert.IsType<EventOutcome.DeadLetter>(Assert.Single(resolution.Outcomes));
        Assert.Equal(DeadLetterReason.RetriesExhausted, dead.Reason);
        Assert.Equal(ErrorCodes.HandlerException, dead.Error.ErrorType);
    }

    [Fact]
    public void TryGetHold_OrdinaryException_False()
    {
        Assert.False(OutcomeResolver.TryGetHold(new InvalidOperationException("x"), out var error, out var retryAfter));
        Assert.Null(error);
        Assert.Null(retryAfter);
    }

    [Fact]
    public void TryGetHold_Timeout_MessageSaysSo()
    {
        Assert.True(OutcomeResolver.TryGetHold(new TimeoutException("after 10 s"), out var error, out var retryAfter));
        Assert.Contains("did not answer in time", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 10 s", error.Message, StringComparison.Ordinal);
        Assert.Null(retryAfter);
    }

    [Fact]
    public void TryGetHold_ConnectionFailure_MessageSaysSo()
    {
        Assert.True(OutcomeResolver.TryGetHold(new HttpRequestException("refused"), out var error, out _));
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForError_DirectCall_SameRules()
    {
        var evt = TestEvents.Event(0, attempt: 2);

        var outcome = OutcomeResolver.ForError(evt, 503, ErrorCodes.ServiceUnavailable, "busy", "b", TimeSpan.FromMinutes(5), Policy(), Now, new Random(1));

        var retry = Assert.IsType<EventOutcome.Retry>(outcome);
        Assert.Equal(Now + TimeSpan.FromMinutes(5), retry.DueAt);
        Assert.Equal(3, retry.Tier);
        Assert.Equal("b", retry.Error.Body);
    }

    [Fact]
    public void Resolve_NullArguments_Throw()
    {
        var batch = TestEvents.Batch(1);
        var policy = Policy();
        var ms = new MultiStatusResponse();
        var random = new Random(1);

        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.Resolve(null!, ms, policy, Now, random));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.Resolve(batch, (MultiStatusResponse)null!, policy, Now, random));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.Resolve(batch, Answer(Ok), null!, Now, random));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.Resolve(batch, Answer(Ok), policy, Now, null!));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.Resolve(null!, new InvalidOperationException(), policy, Now, random));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.Resolve(batch, (Exception)null!, policy, Now, random));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.Resolve(batch, new DestinationUnavailableException(), null!, Now, random));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.Resolve(batch, new DestinationUnavailableException(), policy, Now, null!));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.TryGetHold(null!, out _, out _));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.ForError(null!, 500, "x", "m", null, null, policy, Now, random));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.ForError(batch[0], 500, "x", "m", null, null, null!, Now, random));
        Assert.Throws<ArgumentNullException>(() => OutcomeResolver.ForError(batch[0], 500, "x", "m", null, null, policy, Now, null!));
    }

    [Fact]
    public void BatchResolution_Factories_RejectNull()
    {
        Assert.Throws<ArgumentNullException>(() => BatchResolution.PerEvent(null!, 0));
        Assert.Throws<ArgumentNullException>(() => BatchResolution.Hold(null!, null));
    }
}
