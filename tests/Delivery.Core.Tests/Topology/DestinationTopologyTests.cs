using Delivery.Core.Options;
using Delivery.Core.Topology;

namespace Delivery.Core.Tests.Topology;

public sealed class DestinationTopologyTests
{
    [Fact]
    public void For_Defaults_DerivesEveryNameFromTheDestination()
    {
        var topology = DestinationTopology.For("orders", new DestinationOptions { SourceTopics = ["a", " ", "b", "a"] });

        Assert.Equal("delivery.orders", topology.ConsumerGroup);
        Assert.Equal(["a", "b"], topology.SourceTopics);
        Assert.Equal(["orders.retry.1", "orders.retry.2", "orders.retry.3", "orders.retry.4", "orders.retry.5"], topology.TierTopics);
        Assert.Equal("orders.dlq", topology.DeadLetterTopic);
        Assert.Equal("delivery.orders.redrive", topology.RedriveGroup);
        Assert.Equal(["a", "b", .. topology.TierTopics], topology.SubscribedTopics);
    }

    [Fact]
    public void For_Configured_UsesTheConfiguredNamesAndOneTierPerDistinctDelay()
    {
        var options = new DestinationOptions
        {
            ConsumerGroup = "g",
            Retry = { TopicPrefix = "r", Delays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)] },
            DeadLetter = { Topic = "dead" },
        };

        var topology = DestinationTopology.For("orders", options);

        Assert.Equal("g", topology.ConsumerGroup);
        Assert.Equal(["r.1", "r.2"], topology.TierTopics);
        Assert.Equal(["r.1", "r.2", "dead"], topology.OwnedTopics);
    }

    [Fact]
    public void TierTopic_BeyondTheLastTier_IsTheLastTier()
    {
        var topology = DestinationTopology.For("orders", new DestinationOptions());

        Assert.Equal("orders.retry.1", topology.TierTopic(1));
        Assert.Equal("orders.retry.5", topology.TierTopic(9));
        Assert.True(topology.IsTierTopic("orders.retry.3"));
        Assert.False(topology.IsTierTopic("orders"));
    }

    [Fact]
    public void EffectiveNames_OfTheOptions_AgreeWithTheTopology()
    {
        var options = new DestinationOptions { ConsumerGroup = " " };
        var topology = options.Topology("orders");

        Assert.Equal(options.EffectiveConsumerGroup("orders"), topology.ConsumerGroup);
        Assert.Equal(options.EffectiveDeadLetterTopic("orders"), topology.DeadLetterTopic);
        Assert.Equal(options.EffectiveRetryTopicPrefix("orders"), topology.RetryTopicPrefix);
    }
}
