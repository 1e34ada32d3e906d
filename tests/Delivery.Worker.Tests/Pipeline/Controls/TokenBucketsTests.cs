using System.Threading.RateLimiting;
using Delivery.Worker.Pipeline.Controls;

namespace Delivery.Worker.Tests.Pipeline.Controls;

public sealed class TokenBucketsTests
{
    [Theory]
    [InlineData(200, 200, 10, 50)]
    [InlineData(1000, 1000, 50, 50)]
    [InlineData(2, 2, 1, 500)]
    [InlineData(0.5, 1, 1, 2000)]
    [InlineData(200, 4, 4, 20)]
    public void Options_Rate_WholeTokensPerPeriodAtTheExactRate(double perSecond, int burst, int tokens, int periodMs)
    {
        var options = TokenBuckets.Options(perSecond, burst);

        Assert.Equal(burst, options.TokenLimit);
        Assert.Equal(tokens, options.TokensPerPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), options.ReplenishmentPeriod);
        Assert.Equal(perSecond, options.TokensPerPeriod / options.ReplenishmentPeriod.TotalSeconds, 6);
    }

    [Fact]
    public void Options_Queue_UnboundedOldestFirstSoNothingIsRefused()
    {
        var options = TokenBuckets.Options(10, 10);

        Assert.Equal(int.MaxValue, options.QueueLimit);
        Assert.Equal(QueueProcessingOrder.OldestFirst, options.QueueProcessingOrder);
        Assert.False(options.AutoReplenishment); // DeliveryControls' timer calls TryReplenish, which makes up late ticks
    }

    [Fact]
    public void Create_Off_Null() => Assert.Null(TokenBuckets.Create(0, 0));

    [Fact]
    public async Task Create_BurstSpent_NextCallWaitsInsteadOfBeingRefused()
    {
        using var bucket = TokenBuckets.Create(0.001, 2)!;
        using (var burst = await bucket.AcquireAsync(2))
        {
            Assert.True(burst.IsAcquired);
        }

        var waiting = bucket.AcquireAsync(1);

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, bucket.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public void Options_RateOrBurstNotPositive_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenBuckets.Options(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenBuckets.Options(10, 0));
    }
}
