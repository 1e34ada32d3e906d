using Confluent.Kafka;
using Delivery.Core.Options;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Kafka;

namespace Delivery.Worker.Tests.Kafka;

/// <summary>Delivery:Kafka:GroupProtocol: what each setting puts in the consumer configuration, and how Auto decides.</summary>
public sealed class KafkaClientFactoryGroupProtocolTests
{
    [Fact]
    public void ConsumerConfig_Classic_CooperativeStickyAssignor()
    {
        var factory = KafkaClientFactoryTests.Create(new KafkaOptions { BootstrapServers = "kafka:9092", GroupProtocol = KafkaGroupProtocol.Classic });

        var config = factory.ConsumerConfig("g", "c");

        Assert.Equal(KafkaGroupProtocol.Classic, factory.GroupProtocol);
        Assert.Equal(GroupProtocol.Classic, config.GroupProtocol);
        Assert.Equal(PartitionAssignmentStrategy.CooperativeSticky, config.PartitionAssignmentStrategy);
    }

    [Fact]
    public void ConsumerConfig_Consumer_Kip848WithoutClientAssignor()
    {
        var factory = KafkaClientFactoryTests.Create(new KafkaOptions { BootstrapServers = "kafka:9092", GroupProtocol = KafkaGroupProtocol.Consumer });

        var config = factory.ConsumerConfig("g", "c");

        Assert.Equal(KafkaGroupProtocol.Consumer, factory.GroupProtocol);
        Assert.Equal(GroupProtocol.Consumer, config.GroupProtocol);
        Assert.Null(config.PartitionAssignmentStrategy);
        Assert.DoesNotContain(config, kv => kv.Key is "session.timeout.ms" or "heartbeat.interval.ms" or "partition.assignment.strategy");
    }

    [Fact]
    public void ConsumerConfig_NotSubscribing_NoGroupProtocolAndNoProbe()
    {
        // Auto against an address nobody serves: a consumer that only assigns must not wait for a probe.
        var factory = KafkaClientFactoryTests.Create(new KafkaOptions { BootstrapServers = "127.0.0.1:1" });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var config = factory.ConsumerConfig("g", "c", subscribes: false);

        Assert.Null(config.GroupProtocol);
        Assert.Null(config.PartitionAssignmentStrategy);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void GroupProtocol_AutoEmbedded_Consumer()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        var factory = KafkaClientFactoryTests.Create(new KafkaOptions { Embedded = true }, cluster);

        Assert.Equal(KafkaGroupProtocol.Consumer, factory.GroupProtocol);
        Assert.Equal(GroupProtocol.Consumer, factory.ConsumerConfig("g", "c").GroupProtocol);
    }

    [Fact]
    public void GroupProtocol_AutoBrokersServeConsumerGroupHeartbeat_ConsumerFromTheProbe()
    {
        using var cluster = EmbeddedKafkaCluster.Start(2);
        var factory = KafkaClientFactoryTests.Create(new KafkaOptions { BootstrapServers = cluster.BootstrapServers });

        Assert.Equal(KafkaGroupProtocol.Consumer, factory.GroupProtocol);
    }

    [Fact]
    public void GroupProtocol_AutoBrokersWithoutConsumerGroupHeartbeat_ClassicCooperativeSticky()
    {
        using var cluster = EmbeddedKafkaCluster.Start(2);
        cluster.SetApiVersion(KafkaApiKey.ConsumerGroupHeartbeat, -1, -1);
        var factory = KafkaClientFactoryTests.Create(new KafkaOptions { BootstrapServers = cluster.BootstrapServers });

        Assert.Equal(KafkaGroupProtocol.Classic, factory.GroupProtocol);
        Assert.Equal(PartitionAssignmentStrategy.CooperativeSticky, factory.ConsumerConfig("g", "c").PartitionAssignmentStrategy);
    }

    [Fact]
    public void Serves_NoBrokerAnswers_Null()
    {
        var answer = BrokerFeatureProbe.Serves(new AdminClientConfig { BootstrapServers = "127.0.0.1:1" }, BrokerFeatureProbe.ConsumerGroupHeartbeat, TimeSpan.FromMilliseconds(500));

        Assert.Null(answer);
    }
}
