using DotNet.Testcontainers.Builders;

namespace Delivery.Worker.Tests.Infrastructure;

public sealed class KafkaBrokerChoiceTests
{
    private static readonly Func<string, bool> NoSocket = static _ => false;

    [Theory]
    [InlineData(null, false, KafkaBrokerSource.Embedded, null, false)]
    [InlineData("", false, KafkaBrokerSource.Embedded, null, false)]
    [InlineData(null, true, KafkaBrokerSource.Container, null, false)]
    [InlineData("testcontainers", false, KafkaBrokerSource.Container, null, true)]
    [InlineData("TestContainers", true, KafkaBrokerSource.Container, null, true)]
    [InlineData("embedded", true, KafkaBrokerSource.Embedded, null, true)]
    [InlineData(" kafka-1:9092 ", true, KafkaBrokerSource.External, "kafka-1:9092", true)]
    public void Choose_SettingAndDocker_PicksInDocumentedOrder(string? setting, bool docker, KafkaBrokerSource source, string? address, bool required)
    {
        Assert.Equal((source, address, required), KafkaBrokerChoice.Choose(setting, docker));
    }

    [Theory]
    [InlineData("unix:///var/run/docker.sock", false, true)]
    [InlineData(null, true, true)]
    [InlineData(null, false, false)]
    [InlineData("  ", false, false)]
    public void DockerEndpointPresent_HostOrSocket_Detected(string? dockerHost, bool socket, bool expected)
    {
        Assert.Equal(expected, KafkaBrokerChoice.DockerEndpointPresent(dockerHost, path => socket && path == "/var/run/docker.sock"));
    }

    [Fact]
    public async Task ResolveAsync_DockerSocketButNoEngine_FallsBackToEmbedded()
    {
        var started = 0;
        var choice = await KafkaBrokerChoice.ResolveAsync(null, "unix:///nonexistent.sock", NoSocket, () =>
        {
            started++;
            return KafkaContainerBroker.StartNewAsync(new Uri("unix:///nonexistent/docker.sock"));
        });

        Assert.Equal(1, started);
        Assert.Equal((KafkaBrokerSource.Embedded, (string?)null), choice);
    }

    [Fact]
    public async Task ResolveAsync_ContainerAskedForByNameWithoutEngine_FailsInsteadOfFallingBack()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => KafkaBrokerChoice.ResolveAsync(
            "testcontainers", null, NoSocket, () => KafkaContainerBroker.StartNewAsync(new Uri("unix:///nonexistent/docker.sock"))));

        Assert.True(KafkaBrokerChoice.IsNoEngine(error), error.ToString());
    }

    [Fact]
    public async Task ResolveAsync_OtherContainerFailure_IsNotMistakenForAMissingEngine()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => KafkaBrokerChoice.ResolveAsync(
            null, "unix:///var/run/docker.sock", NoSocket, () => throw new InvalidOperationException("image pull failed")));
    }

    [Fact]
    public void IsNoEngine_DockerUnavailable_True()
    {
        Assert.True(KafkaBrokerChoice.IsNoEngine(new DockerUnavailableException("no engine")));
        Assert.False(KafkaBrokerChoice.IsNoEngine(new TimeoutException()));
    }

    [Fact]
    public async Task ResolveAsync_ExternalAddress_NeverStartsAContainer()
    {
        var choice = await KafkaBrokerChoice.ResolveAsync("broker:9092", "unix:///var/run/docker.sock", NoSocket, () => throw new InvalidOperationException("must not start"));

        Assert.Equal((KafkaBrokerSource.External, (string?)"broker:9092"), choice);
    }

    [Fact]
    public async Task ResolveAsync_ContainerStarts_UsesItsAddress()
    {
        var choice = await KafkaBrokerChoice.ResolveAsync(null, "tcp://docker:2375", NoSocket, () => Task.FromResult("127.0.0.1:49153"));

        Assert.Equal((KafkaBrokerSource.Container, (string?)"127.0.0.1:49153"), choice);
    }
}
