using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Delivery.Kafka.Embedded;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Kafka.Embedded;

/// <summary>
/// The facts about librdkafka's mock cluster that the worker and the suite rely on (DESIGN §8), pinned on the
/// librdkafka the project ships (2.16.0), so an upgrade that changes one of them fails here first.
/// </summary>
public sealed class MockClusterFactsTests(ITestOutputHelper output)
{
    [Fact]
    public void LibRdKafka_IsTheVersionTheFactsWereCheckedOn()
    {
        Assert.Equal("2.16.0", Library.VersionString);
    }

    [Fact]
    public async Task CreateTopicsApi_NotImplemented_AdminCallFails()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        await Assert.ThrowsAnyAsync<KafkaException>(() => admin.CreateTopicsAsync(
            [new TopicSpecification { Name = "created-by-admin", NumPartitions = 2, ReplicationFactor = 1 }],
            new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(3), OperationTimeout = TimeSpan.FromSeconds(3) }));
    }

    [Fact]
    public async Task ProduceToUnknownTopic_AutoCreatesItWithFourPartitions()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        await producer.ProduceAsync("auto-created", new Message<Null, string> { Value = "x" });

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        Assert.Equal(4, admin.GetMetadata("auto-created", TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count);
    }

    [Fact]
    public void SubscribeToMissingTopic_ConsumeReportsUnknownTopicAsNonFatal()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "missing-topic",
            TopicMetadataRefreshIntervalMs = 500,
        }).Build();
        consumer.Subscribe("does-not-exist");

        ConsumeException? error = null;
        var deadline = Stopwatch.StartNew();
        while (error is null && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException e)
            {
                error = e;
            }
        }

        Assert.NotNull(error);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, error.Error.Code);
        Assert.False(error.Error.IsFatal);
    }

    [Fact]
    public void ConsumerProtocol_Kip848_AssignsEveryPartitionToOneMember()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("kip848", partitions: 3);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "kip848",
            GroupProtocol = GroupProtocol.Consumer,
        }).Build();
        consumer.Subscribe("kip848");

        var watch = Stopwatch.StartNew();
        while (consumer.Assignment.Count < 3 && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        output.WriteLine($"KIP-848 assignment of 3 partitions after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(3, consumer.Assignment.Count);
    }
}
