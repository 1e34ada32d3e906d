using Delivery.Core.MultiStatus;
using Delivery.Core.Options;
using Delivery.Core.Retry;

namespace Delivery.Core.Tests.Retry;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = TestEvents.Now;

    [Fact]
    public void New_Defaults_FromOptions()
    {
        var policy = new RetryPolicy(new RetryOptions());

        Assert.Equal(10, policy.MaxAttempts);
        Assert.Equal(TimeSpan.FromHours(4), policy.MaxAge);
        Assert.Equal(0.2, policy.Jitter);
        Assert.Equal(RetryOptions.DefaultDelays, policy.TierDelays);
    }

    [Fact]
    public void IsRetryable_DefaultStatuses_ExactlySegmentsSet()
    {
        var policy = new RetryPolicy(new RetryOptions());
        int[] expected = [408, 423, 429, 500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 598, 599];

        var retryable = Enumerable.Range(100, 500).Where(s => policy.IsRetryable(s, ErrorCodes.FromHttpStatus(s)));

        Assert.Equal(expected, retryable);
    }

    [Theory]
    [InlineData(ErrorCodes.RetryableError, true)]
    [InlineData(ErrorCodes.SelfTimeout, true)]
    [InlineData(ErrorCodes.MissingResponse, true)]
    [InlineData(ErrorCodes.HandlerException, true)]
    [InlineData(ErrorCodes.MalformedResponse, true)]
    [InlineData(ErrorCodes.PayloadValidationFailed, false)]
    [InlineData(ErrorCodes.BadRequest, false)]
    [InlineData(null, false)]
    public void IsRetryable_DefaultTypes(string? type, bool retryable)
        => Assert.Equal(retryable, new RetryPolicy(new RetryOptions()).IsRetryable(400, type!));

    [Fact]
    public void IsRetryable_EmptyStatusList_NoStatusRetryable()
    {
        // Regression: an empty list used to mean "the defaults", unlike an empty type list.
        var policy = new RetryPolicy(new RetryOptions { RetryableStatusCodes = [] });

        Assert.False(policy.IsRetryable(503, ErrorCodes.ServiceUnavailable));
        Assert.True(policy.IsRetryable(503, ErrorCodes.RetryableError));
    }

    [Fact]
    public void TierDelays_DuplicatesCollapsed_OrderKept()
    {
        var policy = new RetryPolicy(new RetryOptions { Delays = [TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)] });

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)], policy.TierDelays);
        Assert.Equal([1, 2, 1, 3, 3], Enumerable.Range(1, 5).Select(policy.TierAfter));
    }

    [Fact]
    public void Delays_EmptyList_Defaults()
        => Assert.Equal(RetryOptions.DefaultDelays, new RetryPolicy(new RetryOptions { Delays = [] }).TierDelays);

    [Theory]
    [InlineData(0, 1, 5)]
    [InlineData(1, 1, 5)]
    [InlineData(2, 2, 30)]
    [InlineData(4, 4, 600)]
    [InlineData(5, 5, 1800)]
    [InlineData(50, 5, 1800)]
    public void TierAfterAndDelayAfter_ClampedToLadder(int attempts, int tier, int seconds)
    {
        var policy = new RetryPolicy(new RetryOptions());

        Assert.Equal(tier, policy.TierAfter(attempts));
        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.DelayAfter(attempts));
    }

    [Theory]
    [InlineData(0.0, 80)]
    [InlineData(0.25, 90)]
    [InlineData(0.5, 100)]
    [InlineData(0.75, 110)]
    public void DueAt_JitterScalesDelay(double unit, int seconds)
    {
        var policy = new RetryPolicy(new RetryOptions { Delays = [TimeSpan.FromSeconds(100)], Jitter = 0.2 });

        Assert.Equal(Now + TimeSpan.FromSeconds(seconds), policy.DueAt(1, Now, null, unit));
    }

    [Fact]
    public void DueAt_UnitJustBelowOne_BelowUpperBound()
    {
        var policy = new RetryPolicy(new RetryOptions { Delays = [TimeSpan.FromSeconds(100)], Jitter = 0.2 });

        var due = policy.DueAt(1, Now, null, Math.BitDecrement(1.0));

        Assert.InRange(due - Now, TimeSpan.FromSeconds(119.999), TimeSpan.FromSeconds(120));
    }

    [Fact]
    public void DueAt_ZeroJitter_Exact()
    {
        var policy = new RetryPolicy(new RetryOptions { Jitter = 0 });
        Assert.Equal(Now + TimeSpan.FromSeconds(30), policy.DueAt(2, Now, null, 0.9));
    }

    [Fact]
    public void DueAt_RetryAfterLonger_Wins()
    {
        var policy = new RetryPolicy(new RetryOptions { Jitter = 0.2 });
        Assert.Equal(Now + TimeSpan.FromSeconds(7), policy.DueAt(1, Now, TimeSpan.FromSeconds(7), 0.999));
    }

    [Fact]
    public void DueAt_RetryAfterShorter_Ignored()
    {
        var policy = new RetryPolicy(new RetryOptions { Jitter = 0 });
        Assert.Equal(Now + TimeSpan.FromSeconds(5), policy.DueAt(1, Now, TimeSpan.FromSeconds(4), 0.5));
    }

    [Fact]
    public void DueAt_RetryAfterEqual_Same()
    {
        var policy = new RetryPolicy(new RetryOptions { Jitter = 0 });
        Assert.Equal(Now + TimeSpan.FromSeconds(5), policy.DueAt(1, Now, TimeSpan.FromSeconds(5), 0.5));
    }

    [Fact]
    public void DueAt_RetryAfterAboveMaxRetryAfter_Capped()
    {
        var policy = new RetryPolicy(new RetryOptions { Jitter = 0, MaxRetryAfter = TimeSpan.FromMinutes(5) });
        Assert.Equal(Now + TimeSpan.FromMinutes(5), policy.DueAt(1, Now, TimeSpan.FromDays(1), 0.5));
    }

    [Fact]
    public void DueAt_CappedRetryAfterBelowTierDelay_TierDelayWins()
    {
        var policy = new RetryPolicy(new RetryOptions { Jitter = 0, MaxRetryAfter = TimeSpan.FromSeconds(10) });
        Assert.Equal(Now + TimeSpan.FromSeconds(30), policy.DueAt(2, Now, TimeSpan.FromDays(1), 0.5));
    }

    [Theory]
    [InlineData(1, null, 1)]
    [InlineData(1, 4, 1)]
    [InlineData(1, 29, 1)]
    [InlineData(1, 30, 2)]
    [InlineData(1, 119, 2)]
    [InlineData(1, 600, 4)]
    [InlineData(1, 86400, 5)]
    [InlineData(3, 30, 3)]
    [InlineData(3, 600, 4)]
    [InlineData(9, 86400, 5)]
    public void TierFor_RetryAfter_LongestTierItCoversNeverShorterThanTheAttempts(int attempts, int? retryAfterSeconds, int tier)
    {
        var policy = new RetryPolicy(new RetryOptions());

        Assert.Equal(tier, policy.TierFor(attempts, retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null));
    }

    [Fact]
    public void TierFor_RetryAfterAboveMaxRetryAfter_ChoosesByTheCappedValue()
    {
        var policy = new RetryPolicy(new RetryOptions { MaxRetryAfter = TimeSpan.FromMinutes(5) });

        Assert.Equal(3, policy.TierFor(1, TimeSpan.FromDays(1)));
    }

    [Fact]
    public void TierFor_UnorderedDelays_LongestCoveredDelayWins()
    {
        var policy = new RetryPolicy(new RetryOptions { Delays = [TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)] });

        Assert.Equal(2, policy.TierFor(2, TimeSpan.FromSeconds(10)));
        Assert.Equal(1, policy.TierFor(2, TimeSpan.FromSeconds(45)));
        Assert.Equal(3, policy.TierFor(1, TimeSpan.FromMinutes(2)));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(59, 59)]
    [InlineData(60, 60)]
    [InlineData(61, 60)]
    [InlineData(86400, 60)]
    public void CapRetryAfter_AboveMax_Capped(int? seconds, int? expected)
    {
        var policy = new RetryPolicy(new RetryOptions { MaxRetryAfter = TimeSpan.FromMinutes(1) });
        Assert.Equal(expected is { } e ? TimeSpan.FromSeconds(e) : null, policy.CapRetryAfter(seconds is { } s ? TimeSpan.FromSeconds(s) : null));
    }

    [Fact]
    public void New_MaxRetryAfter_Copied()
        => Assert.Equal(TimeSpan.FromMinutes(7), new RetryPolicy(new RetryOptions { MaxRetryAfter = TimeSpan.FromMinutes(7) }).MaxRetryAfter);

    [Fact]
    public void New_Null_Throws() => Assert.Throws<ArgumentNullException>(() => new RetryPolicy(null!));
}
