using Confluent.Kafka;
using Delivery.Kafka.Embedded;

namespace Delivery.Worker.Tests.Kafka.Embedded;

public sealed class LibRdKafkaResolverTests
{
    [Fact]
    public void LoadedPaths_EmbeddedClusterAndConfluentClient_ShareOneNativeCopy()
    {
        using var cluster = EmbeddedKafkaCluster.Start(1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        var paths = LibRdKafkaResolver.LoadedPaths();

        var path = Assert.Single(paths);
        Assert.Contains("librdkafka", Path.GetFileName(path), StringComparison.Ordinal);
        Assert.Equal(path, LibRdKafkaResolver.LoadedPath());
    }

    [Fact]
    public void LoadedPath_OnThisMachine_IsTheFileConfluentKafkaShipsInItsRuntimesFolder()
    {
        var path = LibRdKafkaResolver.LoadedPath();

        Assert.NotNull(path);
        Assert.True(File.Exists(path), path);
        Assert.StartsWith(AppContext.BaseDirectory.TrimEnd('/'), path, StringComparison.Ordinal);
    }
}
