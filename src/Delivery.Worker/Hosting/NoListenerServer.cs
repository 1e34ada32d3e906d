using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Delivery.Worker.Hosting;

/// <summary>The server used when <c>Delivery:Http:Port</c> is 0: the endpoints exist, nothing listens.</summary>
internal sealed class NoListenerServer : IServer
{
    /// <inheritdoc />
    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
