using Delivery.Core.Options;

namespace Delivery.Core.Tests.Options;

public sealed class DestinationOptionsTests
{
    [Fact]
    public void Effective_NotSet_DerivedFromName()
    {
        var options = new DestinationOptions();

        Assert.Equal("delivery.orders", options.EffectiveConsumerGroup("orders"));
        Assert.Equal("orders.retry", options.EffectiveRetryTopicPrefix("orders"));
        Assert.Equal("orders.dlq", options.EffectiveDeadLetterTopic("orders"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Effective_Blank_DerivedFromName(string blank)
    {
        var options = new DestinationOptions { ConsumerGroup = blank, Retry = { TopicPrefix = blank }, DeadLetter = { Topic = blank } };

        Assert.Equal("delivery.orders", options.EffectiveConsumerGroup("orders"));
        Assert.Equal("orders.retry", options.EffectiveRetryTopicPrefix("orders"));
        Assert.Equal("orders.dlq", options.EffectiveDeadLetterTopic("orders"));
    }

    [Fact]
    public void Effective_Set_Used()
    {
        var options = new DestinationOptions { ConsumerGroup = "g", Retry = { TopicPrefix = "r" }, DeadLetter = { Topic = "d" } };

        Assert.Equal("g", options.EffectiveConsumerGroup("orders"));
        Assert.Equal("r", options.EffectiveRetryTopicPrefix("orders"));
        Assert.Equal("d", options.EffectiveDeadLetterTopic("orders"));
    }

    [Fact]
    public void Defaults_AsDocumented()
    {
        var options = new DeliveryOptions();
        var d = new DestinationOptions();

        Assert.Equal(TimeSpan.FromSeconds(25), options.ShutdownTimeout);
        Assert.Equal(8080, options.Http.Port);
        Assert.False(options.Kafka.Embedded);
        Assert.Equal(3, options.Kafka.EmbeddedBrokers);
        Assert.True(options.Kafka.CreateTopics);
        Assert.Equal(6, options.Kafka.TopicPartitions);
        Assert.Equal(-1, options.Kafka.TopicReplicationFactor);
        Assert.True(d.Enabled);
        Assert.Equal(string.Empty, d.Type);
        Assert.Empty(d.SourceTopics);
        Assert.Null(d.ConsumerGroup);
        Assert.Null(d.EventIdHeader);
        Assert.Equal(500, d.Batch.MaxEvents);
        Assert.Equal(1024 * 1024, d.Batch.MaxBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), d.Batch.MaxWait);
        Assert.Equal(4, d.Batch.MaxConcurrent);
        Assert.Equal(0, d.Batch.MaxInFlightEvents);
        Assert.Equal(8_000, d.Batch.EffectiveMaxInFlightEvents);
        Assert.Equal(10, d.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromHours(4), d.Retry.MaxAge);
        Assert.Equal(TimeSpan.FromHours(1), d.Retry.MaxRetryAfter);
        Assert.Equal(0.2, d.Retry.Jitter);
        Assert.Equal(RetryOptions.DefaultDelays, d.Retry.EffectiveDelays);
        Assert.Equal(4096, d.DeadLetter.MaxBodyBytes);
        Assert.Equal(3, d.DeadLetter.MaxRedrives);
        Assert.Equal(TimeSpan.FromSeconds(10), d.Http.Timeout);
        Assert.Equal(1024 * 1024, d.Http.MaxResponseBytes);
        Assert.False(d.Http.GzipRequests);
    }

    [Fact]
    public void EffectiveDelays_Configured_Copy()
    {
        var retry = new RetryOptions { Delays = [TimeSpan.FromSeconds(1)] };

        var effective = retry.EffectiveDelays;
        retry.Delays.Add(TimeSpan.FromSeconds(2));

        Assert.Equal([TimeSpan.FromSeconds(1)], effective);
    }
}
