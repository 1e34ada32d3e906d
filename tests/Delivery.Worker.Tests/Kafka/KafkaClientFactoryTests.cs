using Confluent.Kafka;
using Delivery.Core.Options;
using Delivery.Worker.Kafka;
using Delivery.Kafka.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delivery.Worker.Tests.Kafka;

public sealed class KafkaClientFactoryTests
{
    internal static KafkaClientFactory Create(KafkaOptions kafka, EmbeddedKafkaCluster? embedded = null)
    {
        var services = new ServiceCollection();
        if (embedded is not null)
        {
            services.AddSingleton(embedded);
        }

        return new KafkaClientFactory(Options.Create(new DeliveryOptions { Kafka = kafka }), services.BuildServiceProvider());
    }

    [Fact]
    public void ConsumerConfig_GuaranteeKeysFromConfiguration_OverriddenInCode()
    {
        var factory = Create(new KafkaOptions
        {
            BootstrapServers = "kafka:9092",
            GroupProtocol = KafkaGroupProtocol.Classic,
            Client = new Dictionary<string, string>
            {
                ["enable.auto.commit"] = "true",
                ["enable.auto.offset.store"] = "true",
                ["isolation.level"] = "read_uncommitted",
                ["security.protocol"] = "SASL_SSL",
                ["auto.offset.reset"] = "latest",
            },
        });

        var config = factory.ConsumerConfig("delivery.orders", "client");

        Assert.Equal("kafka:9092", config.BootstrapServers);
        Assert.Equal("delivery.orders", config.GroupId);
        Assert.False(config.EnableAutoCommit);
        Assert.False(config.EnableAutoOffsetStore);
        Assert.Equal(IsolationLevel.ReadCommitted, config.IsolationLevel);
        Assert.Equal("SASL_SSL", config.Single(kv => kv.Key == "security.protocol").Value);
        Assert.Equal(AutoOffsetReset.Latest, config.AutoOffsetReset);
    }

    [Fact]
    public void ConsumerConfig_FetchQueueBackoff_LowByDefaultAndConfigurable()
    {
        var defaults = Create(new KafkaOptions { BootstrapServers = "kafka:9092", GroupProtocol = KafkaGroupProtocol.Classic }).ConsumerConfig("g", "c");
        var configured = Create(new KafkaOptions
        {
            BootstrapServers = "kafka:9092",
            GroupProtocol = KafkaGroupProtocol.Consumer,
            Client = new Dictionary<string, string> { ["fetch.queue.backoff.ms"] = "500" },
        }).ConsumerConfig("g", "c");

        Assert.Equal(20, defaults.FetchQueueBackoffMs);
        Assert.Equal(500, configured.FetchQueueBackoffMs);
    }

    [Fact]
    public void ProducerConfig_IdempotentAcksAll_EvenWhenConfiguredOtherwise()
    {
        var factory = Create(new KafkaOptions
        {
            BootstrapServers = "kafka:9092",
            Client = new Dictionary<string, string> { ["enable.idempotence"] = "false", ["acks"] = "1", ["max.in.flight.requests.per.connection"] = "20" },
        });

        var config = factory.ProducerConfig("client");

        Assert.True(config.EnableIdempotence);
        Assert.Equal(Acks.All, config.Acks);
        Assert.Equal(5, config.MaxInFlight);
    }

    [Fact]
    public void Embedded_BootstrapFromClusterAndOneRequestInFlight()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        var factory = Create(new KafkaOptions { Embedded = true, BootstrapServers = "ignored:9092" }, cluster);

        Assert.Equal(cluster.BootstrapServers, factory.BootstrapServers);
        Assert.Equal(cluster.BootstrapServers, factory.ConsumerConfig("g", "c").BootstrapServers);
        Assert.Equal(1, factory.ProducerConfig("c").MaxInFlight);
    }

    [Fact]
    public void BootstrapServers_MissingWithoutEmbedded_ThrowsNamingTheKey()
    {
        var factory = Create(new KafkaOptions());

        var error = Assert.Throws<InvalidOperationException>(() => factory.BootstrapServers);

        Assert.StartsWith("Delivery:Kafka:BootstrapServers:", error.Message, StringComparison.Ordinal);
    }
}
