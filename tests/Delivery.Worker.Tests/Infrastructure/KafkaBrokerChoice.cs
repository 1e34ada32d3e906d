namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// Which broker the integration suite uses, in this order: <c>DELIVERY_TEST_KAFKA=host:port</c> (any real Kafka);
/// a Testcontainers Kafka when <c>DELIVERY_TEST_KAFKA=testcontainers</c> asks for it or a Docker engine is reachable;
/// otherwise the embedded cluster. Pure: the caller supplies the variable and whether Docker answers.
/// </summary>
internal static class KafkaBrokerChoice
{
    /// <summary>The variable that names the broker.</summary>
    public const string Variable = "DELIVERY_TEST_KAFKA";

    /// <summary>The value that asks for a Testcontainers Kafka.</summary>
    public const string TestcontainersValue = "testcontainers";

    /// <summary>The value that asks for the embedded cluster even where Docker runs.</summary>
    public const string EmbeddedValue = "embedded";

    /// <summary>
    /// The source for <paramref name="setting"/>; <c>Required</c> is true when the user asked for that
    /// source by name (a container that cannot start is then an error, not a fallback).
    /// </summary>
    public static (KafkaBrokerSource Source, string? Address, bool Required) Choose(string? setting, bool dockerReachable)
    {
        var value = setting?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return dockerReachable ? (KafkaBrokerSource.Container, null, false) : (KafkaBrokerSource.Embedded, null, false);
        }

        if (string.Equals(value, TestcontainersValue, StringComparison.OrdinalIgnoreCase))
        {
            return (KafkaBrokerSource.Container, null, true);
        }

        if (string.Equals(value, EmbeddedValue, StringComparison.OrdinalIgnoreCase))
        {
            return (KafkaBrokerSource.Embedded, null, true);
        }

        return (KafkaBrokerSource.External, value, true);
    }

    /// <summary>
    /// Chooses, then starts the container when the choice is one: a container that cannot start because no Docker
    /// engine answers (<see cref="IsNoEngine"/>) falls back to the embedded cluster, unless the user asked for the container by name.
    /// </summary>
    public static async Task<(KafkaBrokerSource Source, string? Address)> ResolveAsync(
        string? setting, string? dockerHost, Func<string, bool> fileExists, Func<Task<string>> startContainer)
    {
        ArgumentNullException.ThrowIfNull(startContainer);
        var (source, address, required) = Choose(setting, DockerEndpointPresent(dockerHost, fileExists));
        if (source != KafkaBrokerSource.Container)
        {
            return (source, address);
        }

        try
        {
            return (source, await startContainer().ConfigureAwait(false));
        }
        catch (Exception e) when (!required && IsNoEngine(e))
        {
            return (KafkaBrokerSource.Embedded, null);
        }
    }

    /// <summary>
    /// True for the two ways a container start fails when no Docker engine answers: Testcontainers' discovery finds
    /// none (<c>DockerUnavailableException</c>), or a configured endpoint refuses the connection.
    /// </summary>
    public static bool IsNoEngine(Exception exception) =>
        exception is DotNet.Testcontainers.Builders.DockerUnavailableException or HttpRequestException;

    /// <summary>True when a Docker engine endpoint is configured or its default socket exists.</summary>
    public static bool DockerEndpointPresent(string? dockerHost, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(fileExists);
        return !string.IsNullOrWhiteSpace(dockerHost) || fileExists("/var/run/docker.sock");
    }
}
