using Testcontainers.Kafka;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// One Testcontainers Kafka (apache/kafka, KRaft) for the whole test run, started on first use and removed by
/// Testcontainers' resource reaper when the test process ends. Not runnable on machines without a Docker engine.
/// </summary>
internal static class KafkaContainerBroker
{
    /// <summary>The image: Apache's own, KRaft mode, no ZooKeeper.</summary>
    public const string Image = "apache/kafka:3.9.1";

    private static readonly Lazy<Task<string>> Started = new(() => StartNewAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The container's bootstrap address; throws <see cref="DotNet.Testcontainers.Builders.DockerUnavailableException"/> without Docker.</summary>
    public static Task<string> BootstrapServersAsync() => Started.Value;

    /// <summary>Starts a container through <paramref name="dockerEndpoint"/> (null: Testcontainers' own discovery).</summary>
    public static async Task<string> StartNewAsync(Uri? dockerEndpoint = null)
    {
        var builder = new KafkaBuilder(Image);
        if (dockerEndpoint is not null)
        {
            builder = builder.WithDockerEndpoint(dockerEndpoint);
        }

        var container = builder.Build();
        await container.StartAsync().ConfigureAwait(false);
        return container.GetBootstrapAddress();
    }
}
