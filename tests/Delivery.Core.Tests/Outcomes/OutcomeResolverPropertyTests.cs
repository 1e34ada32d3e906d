using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Options;
using Delivery.Core.Outcomes;
using Delivery.Core.Retry;
using FsCheck.Xunit;

namespace Delivery.Core.Tests.Outcomes;

/// <summary>
/// Property tests of outcome resolution over random batches and answers: every event gets exactly one outcome, no
/// Delivered without a 2xx slot, no Retry at or past MaxAttempts or MaxAge (nor one that a capped Retry-After parks
/// past MaxAge), DueAt at least now + min(Retry-After, MaxRetryAfter) and within the jittered tier delay otherwise.
/// </summary>
public sealed class OutcomeResolverPropertyTests
{
    private static readonly DateTimeOffset Now = TestEvents.Now;
    private static readonly int[] Statuses = [200, 201, 207, 400, 401, 404, 408, 409, 422, 423, 429, 499, 500, 501, 502, 503, 504, 529, 598, 599, 0, 302];
    private static readonly string?[] Types = [null, ErrorCodes.RetryableError, ErrorCodes.PayloadValidationFailed, ErrorCodes.SelfTimeout, ErrorCodes.BadRequest];

    // One generated int describes one event and its slot; small values (what FsCheck shrinks to) are simple cases.
    private sealed record Case(int Kind, int Status, string? Type, int Attempt, TimeSpan Age, TimeSpan? RetryAfter)
    {
        public static Case From(int code)
        {
            var c = (uint)code;
            return new Case(
                Kind: (int)(c % 4),
                Status: Statuses[(c >> 2) % (uint)Statuses.Length],
                Type: Types[(c >> 7) % (uint)Types.Length],
                Attempt: (int)((c >> 10) % 14) + 1,
                Age: TimeSpan.FromMinutes((c >> 14) % 400),
                RetryAfter: ((c >> 23) % 3) == 0 ? TimeSpan.FromSeconds((c >> 25) % 100) : null);
        }
    }

    private static RetryPolicy Policy(byte maxAttempts, byte jitterPercent)
        => new(new RetryOptions
        {
            MaxAttempts = (maxAttempts % 12) + 1,
            MaxAge = TimeSpan.FromHours(4),
            MaxRetryAfter = TimeSpan.FromSeconds(60),
            Jitter = (jitterPercent % 101) / 100.0,
            Delays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)],
        });

    [Property(MaxTest = 1000)]
    public void Resolve_Response_OneSoundOutcomePerEvent(int[] codes, byte extraSlots, byte maxAttempts, byte jitterPercent, int seed)
    {
        codes ??= [];
        var cases = codes.Select(Case.From).ToArray();
        var events = cases.Select((c, i) => TestEvents.Event(i, c.Attempt, Now - c.Age)).ToArray();
        var batch = new DeliveryBatch("orders", events);
        var policy = Policy(maxAttempts, jitterPercent);

        var ms = new MultiStatusResponse();
        for (var i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            var success = ActionDestinationResponse.IsSuccessStatus(c.Status);
            if (c.Kind == 0 && success)
            {
                ms.SetSuccessResponseAtIndex(i, new() { Status = c.Status });
            }
            else if (c.Kind is 1 or 2 && !success)
            {
                ms.SetErrorResponseAtIndex(i, new() { Status = c.Status, ErrorType = c.Type!, ErrorMessage = "m", RetryAfter = c.RetryAfter });
            }

            // Otherwise the slot stays unset: a missing response.
        }

        for (var i = 0; i < extraSlots % 4; i++)
        {
            ms.SetSuccessResponseAtIndex(cases.Length + i, new() { Status = 200 });
        }

        var resolution = OutcomeResolver.Resolve(batch, ms, policy, Now, new Random(seed));

        Assert.False(resolution.IsHold);
        Assert.Equal(cases.Length, resolution.Outcomes.Count);
        var missing = Enumerable.Range(0, cases.Length).Count(i => ms.GetResponseAtIndex(i) is null);
        Assert.Equal(missing + (extraSlots % 4), resolution.ContractViolations);

        for (var i = 0; i < cases.Length; i++)
        {
            var slot = ms.GetResponseAtIndex(i);
            var outcome = resolution.Outcomes[i];
            Assert.NotNull(outcome);
            var retryAfter = (slot as ActionDestinationErrorResponse)?.RetryAfter;
            AssertSound(outcome, slot, events[i], policy, retryAfter);
        }
    }

    [Property(MaxTest = 300)]
    public void Resolve_Exception_HoldOrOneHandlerExceptionPerEvent(int[] codes, byte kind, byte maxAttempts, int seed)
    {
        codes ??= [];
        var cases = codes.Select(Case.From).ToArray();
        var events = cases.Select((c, i) => TestEvents.Event(i, c.Attempt, Now - c.Age)).ToArray();
        var policy = Policy(maxAttempts, 20);
        Exception exception = (kind % 4) switch
        {
            0 => new DestinationUnavailableException("down", 503, TimeSpan.FromSeconds(kind)),
            1 => new TimeoutException(),
            2 => new InvalidOperationException("wrapped", new HttpRequestException("refused")),
            _ => new InvalidOperationException("bug"),
        };

        var resolution = OutcomeResolver.Resolve(new DeliveryBatch("orders", events), exception, policy, Now, new Random(seed));

        if (kind % 4 != 3)
        {
            Assert.True(resolution.IsHold);
            Assert.Empty(resolution.Outcomes);
            return;
        }

        Assert.Equal(events.Length, resolution.Outcomes.Count);
        for (var i = 0; i < events.Length; i++)
        {
            AssertSound(resolution.Outcomes[i], null, events[i], policy, null);
            var error = resolution.Outcomes[i] switch
            {
                EventOutcome.Retry r => r.Error,
                EventOutcome.DeadLetter d => d.Error,
                _ => null,
            };
            Assert.Equal(ErrorCodes.HandlerException, error?.ErrorType);
        }
    }

    private static void AssertSound(EventOutcome outcome, ActionDestinationResponse? slot, DeliveryEvent evt, RetryPolicy policy, TimeSpan? retryAfter)
    {
        var age = Now - evt.FirstAttemptAt;
        switch (outcome)
        {
            case EventOutcome.DeliveredOutcome:
                Assert.IsType<ActionDestinationSuccessResponse>(slot);
                Assert.InRange(slot.Status, 200, 299);
                break;
            case EventOutcome.Retry retry:
                Assert.False(slot is ActionDestinationSuccessResponse);
                Assert.True(policy.IsRetryable(retry.Error.Status, retry.Error.ErrorType));
                Assert.True(evt.Attempt < policy.MaxAttempts, "Retry at or past MaxAttempts");
                Assert.True(age < policy.MaxAge, "Retry past MaxAge");
                Assert.True(age + (policy.CapRetryAfter(retryAfter) ?? TimeSpan.Zero) <= policy.MaxAge, "Retry-After parks the retry past MaxAge");
                Assert.True(retry.DueAt >= Now + (policy.CapRetryAfter(retryAfter) ?? TimeSpan.Zero), "DueAt before Retry-After");
                var delay = policy.DelayAfter(evt.Attempt);
                var low = TimeSpan.FromTicks((long)(delay.Ticks * (1 - policy.Jitter)) - 1);
                var high = TimeSpan.FromTicks((long)(delay.Ticks * (1 + policy.Jitter)) + 1);
                if (policy.CapRetryAfter(retryAfter) is { } ra && ra > high)
                {
                    high = ra;
                }

                Assert.InRange(retry.DueAt - Now, low, high);
                Assert.InRange(retry.Tier, 1, policy.TierDelays.Count);

                // The attempt's tier, or a longer tier whose delay the honoured Retry-After covers.
                var tierDelay = policy.TierDelays[retry.Tier - 1];
                Assert.True(
                    tierDelay == delay || (tierDelay > delay && tierDelay <= policy.CapRetryAfter(retryAfter)),
                    $"tier {retry.Tier} ({tierDelay}) for delay {delay} and Retry-After {retryAfter}");
                break;
            case EventOutcome.DeadLetter dead:
                Assert.False(slot is ActionDestinationSuccessResponse);
                var retryable = policy.IsRetryable(dead.Error.Status, dead.Error.ErrorType);
                var expected = !retryable ? DeadLetterReason.NonRetryable
                    : evt.Attempt >= policy.MaxAttempts ? DeadLetterReason.RetriesExhausted
                    : DeadLetterReason.MaxAgeExceeded;
                Assert.Equal(expected, dead.Reason);
                Assert.True(expected != DeadLetterReason.MaxAgeExceeded || age >= policy.MaxAge
                    || age + (policy.CapRetryAfter(retryAfter) ?? TimeSpan.Zero) > policy.MaxAge);
                break;
            default:
                Assert.Fail($"unexpected outcome {outcome}");
                break;
        }

        if (slot is null && outcome is not EventOutcome.DeliveredOutcome)
        {
            var error = outcome is EventOutcome.Retry r ? r.Error : ((EventOutcome.DeadLetter)outcome).Error;
            Assert.Equal(500, error.Status);
        }
    }
}
