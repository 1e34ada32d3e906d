using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class RetryLaneFlowTests
{
    [Fact]
    public void Update_ReachesHalfTheWindow_PausesThenResumesBelowHalfOfThat()
    {
        var flow = new RetryLaneFlow(window: 8_000, maxEvents: 500);
        Assert.Equal(4_000, flow.Limit);

        Assert.False(flow.Update(3_999));
        Assert.False(flow.Paused);
        Assert.True(flow.Update(4_000));
        Assert.True(flow.Paused);
        Assert.False(flow.Update(2_000)); // hysteresis: still at half of the limit
        Assert.True(flow.Paused);
        Assert.True(flow.Update(1_999));
        Assert.False(flow.Paused);
    }

    [Theory]
    [InlineData(800, 50, 400)]
    [InlineData(500, 500, 500)] // a window of one batch: the retry lane may still fill one batch
    [InlineData(100, 0, 50)]
    public void Limit_HalfTheWindowAtLeastOneBatch(long window, int maxEvents, long expected)
        => Assert.Equal(expected, new RetryLaneFlow(window, maxEvents).Limit);
}
