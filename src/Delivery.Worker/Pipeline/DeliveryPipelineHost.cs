using Delivery.Core;
using Delivery.Core.Options;
using Delivery.Worker.Health;
using Delivery.Worker.Kafka;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Starts one <see cref="DestinationPipeline"/> per enabled destination (handlers resolved by destination
/// <c>Type</c> as keyed <see cref="IDestinationHandlerFactory"/>s) and stops them on shutdown. Reports their state.
/// </summary>
internal sealed class DeliveryPipelineHost(
    IServiceProvider services,
    IOptions<DeliveryOptions> options,
    IOptions<PipelineOptions> tuning,
    KafkaClientFactory clients,
    TopicProvisioner provisioner,
    DeliveryMetrics metrics,
    ResiliencePipelineProvider<string> resilience,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService, IPipelineStatusSource, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private List<DestinationPipeline> _pipelines = [];

    /// <summary>The running pipelines.</summary>
    public IReadOnlyList<DestinationPipeline> Pipelines
    {
        get
        {
            lock (_gate)
            {
                return [.. _pipelines];
            }
        }
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var root = options.Value;
        var pipelines = new List<DestinationPipeline>();
        var liveness = services.GetService<ConsumeLoopLiveness>();
        foreach (var (name, destination) in root.Destinations.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (!destination.Enabled)
            {
                continue;
            }

            var factory = services.GetKeyedService<IDestinationHandlerFactory>(destination.Type)
                ?? throw new InvalidOperationException($"Delivery:Destinations:{name}:Type: unknown destination type '{destination.Type}'");
            var pipeline = new DestinationPipeline(
                name, destination, tuning.Value, root.ShutdownTimeout, factory.Create(name, destination),
                resilience.GetPipeline(HandlerResilience.CallKey(name)), resilience.GetPipeline<HandlerCall>(HandlerResilience.HoldKey(name)),
                clients, provisioner, metrics, time,
                loggers.CreateLogger($"Delivery.Worker.Pipeline.{name}"),
                liveness is null ? null : () => liveness.Register(name));
            pipelines.Add(pipeline);
        }

        lock (_gate)
        {
            _pipelines = pipelines;
        }

        foreach (var pipeline in pipelines)
        {
            metrics.RegisterDestination(pipeline.Name, pipeline.Gauges);
            await pipeline.StartAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var pipelines = Pipelines;
        await Task.WhenAll(pipelines.Select(p => p.StopAsync(cancellationToken)));
        foreach (var pipeline in pipelines)
        {
            metrics.UnregisterDestination(pipeline.Name);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<DestinationStatus> Snapshot() => Pipelines.Select(p => p.Status()).ToList();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var pipeline in Pipelines)
        {
            await pipeline.DisposeAsync();
        }
    }
}
