using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using Delivery.Kafka.Embedded;

namespace Delivery.Worker.Tests.Kafka.Embedded;

public sealed class EmbeddedKafkaClusterTests
{
    [Fact]
    public void Start_ThreeBrokers_ListensOnLoopbackPortsReachableBySocket()
    {
        using var cluster = EmbeddedKafkaCluster.Start(3);

        var endpoints = cluster.BootstrapServers.Split(',');
        Assert.Equal(3, endpoints.Length);
        foreach (var endpoint in endpoints)
        {
            var (host, port) = (endpoint[..endpoint.LastIndexOf(':')], int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("127.0.0.1", host);
            using var socket = new TcpClient();
            socket.Connect(host, port);
            Assert.True(socket.Connected);
        }
    }

    [Fact]
    public async Task CreateTopic_ThenProduceAndConsume_RoundTripsAndMetadataShowsPartitions()
    {
        using var cluster = EmbeddedKafkaCluster.Start(3);
        cluster.CreateTopic("round-trip", partitions: 3, replicationFactor: 3);
        cluster.CreateTopic("round-trip", partitions: 3);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var metadata = admin.GetMetadata("round-trip", TimeSpan.FromSeconds(10));
        Assert.Equal(3, metadata.Brokers.Count);
        Assert.Equal(3, metadata.Topics.Single().Partitions.Count);

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true }).Build();
        var report = await producer.ProduceAsync(new TopicPartition("round-trip", 1), new Message<string, string> { Key = "k", Value = "hello" });
        Assert.Equal(PersistenceStatus.Persisted, report.Status);

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "g" }).Build();
        consumer.Assign(new TopicPartitionOffset("round-trip", 1, Offset.Beginning));
        var record = consumer.Consume(TimeSpan.FromSeconds(10));
        Assert.NotNull(record);
        Assert.Equal("hello", record.Message.Value);
    }

    [Fact]
    public async Task PushRequestErrors_Produce_NextProduceFailsWithThatErrorThenSucceeds()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("faulty", 1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, MessageSendMaxRetries = 0 }).Build();
        await producer.ProduceAsync("faulty", new Message<Null, string> { Value = "warm-up" });

        cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotEnoughReplicas);

        var failure = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("faulty", new Message<Null, string> { Value = "x" }));
        Assert.Equal(ErrorCode.NotEnoughReplicas, failure.Error.Code);
        var report = await producer.ProduceAsync("faulty", new Message<Null, string> { Value = "y" });
        Assert.Equal(PersistenceStatus.Persisted, report.Status);
    }

    [Fact]
    public async Task ClearRequestErrors_PendingErrorsDropped()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("cleared", 1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, MessageSendMaxRetries = 0 }).Build();
        cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotEnoughReplicas, 5);

        cluster.ClearRequestErrors(KafkaApiKey.Produce);

        var report = await producer.ProduceAsync("cleared", new Message<Null, string> { Value = "y" });
        Assert.Equal(PersistenceStatus.Persisted, report.Status);
    }

    [Fact]
    public async Task SetBrokerDown_ProduceTimesOut_SetBrokerUp_ProduceSucceeds()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("outage", 1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, MessageTimeoutMs = 1000 }).Build();
        await producer.ProduceAsync("outage", new Message<Null, string> { Value = "before" });

        cluster.SetBrokerDown(1);
        var failure = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("outage", new Message<Null, string> { Value = "during" }));
        Assert.Equal(ErrorCode.Local_MsgTimedOut, failure.Error.Code);

        cluster.SetBrokerUp(1);
        using var patient = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var report = await patient.ProduceAsync("outage", new Message<Null, string> { Value = "after" });
        Assert.Equal(PersistenceStatus.Persisted, report.Status);
    }

    [Fact]
    public async Task SetBrokerRtt_ResponsesDelayed()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("slow", 1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 0 }).Build();
        await producer.ProduceAsync("slow", new Message<Null, string> { Value = "warm-up" });

        cluster.SetBrokerRtt(1, TimeSpan.FromMilliseconds(400));
        var clock = Stopwatch.StartNew();
        await producer.ProduceAsync("slow", new Message<Null, string> { Value = "slow" });

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(350), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task RequestTracking_RecordsRequestsByApiKeyUntilCleared()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("tracked", 1);
        cluster.StartRequestTracking();
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        await producer.ProduceAsync("tracked", new Message<Null, byte[]> { Value = Encoding.UTF8.GetBytes("x") });

        var requests = cluster.GetRequests();
        Assert.Contains(requests, r => r.ApiKey == (short)KafkaApiKey.Produce && r.BrokerId == 1);
        Assert.Contains(requests, r => r.ApiKey == (short)KafkaApiKey.Metadata);
        cluster.ClearRequests();
        cluster.StopRequestTracking();
        Assert.Empty(cluster.GetRequests());
    }

    [Fact]
    public void Dispose_Twice_ThenUse_ThrowsObjectDisposed()
    {
        var cluster = EmbeddedKafkaCluster.Start(1);

        cluster.Dispose();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("gone"));
    }
}
