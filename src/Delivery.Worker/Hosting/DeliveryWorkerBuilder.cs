using System.Diagnostics.CodeAnalysis;
using Delivery.Core;
using Delivery.Destinations.Elasticsearch;
using Delivery.Destinations.HttpBatch;
using Delivery.Destinations.Nakadi;
using Delivery.Destinations.Webhook;
using Delivery.Worker.Cli;
using Delivery.Worker.Hosting;
using Delivery.Worker.Logging;
using Delivery.Worker.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace Delivery.Worker;

/// <summary>
/// Describes a worker executable: its extra destination types and services. <see cref="RunAsync"/> parses the
/// command line and runs the command, exactly as <c>delivery-worker</c> does.
/// </summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "The public entry point of custom worker executables.")]
public sealed class DeliveryWorkerBuilder
{
    private static readonly string[] BuiltInTypes =
    [
        HttpBatchHandler.TypeName, NakadiHandler.TypeName, ElasticsearchBulkHandler.TypeName,
        WebhookHandler.TypeName, NoOpDestinationHandlerFactory.TypeName,
    ];

    private readonly string[] _args;
    private readonly List<Action<IServiceCollection>> _registrations = [];
    private readonly HashSet<string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DestinationDemo> _demos = new(StringComparer.Ordinal);

    internal DeliveryWorkerBuilder(string[] args) => _args = args;

    /// <summary>The destination types added with <see cref="AddDestinationType{TFactory}(string)"/>, in order.</summary>
    public IReadOnlyCollection<string> DestinationTypes => _types;

    /// <summary>
    /// Adds a destination type: destinations with <c>Delivery:Destinations:{name}:Type = <paramref name="typeName"/></c>
    /// are delivered by handlers from <typeparamref name="TFactory"/>, a singleton created by the service provider
    /// (it may take <c>IConfiguration</c>, <c>IHttpClientFactory</c>, <c>TimeProvider</c>, <c>ILoggerFactory</c>, …).
    /// <c>validate-config</c> and start-up call its <see cref="IDestinationHandlerFactory.Validate"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is blank, a built-in type's, or added already.</exception>
    public DeliveryWorkerBuilder AddDestinationType<TFactory>(string typeName)
        where TFactory : class, IDestinationHandlerFactory
    {
        Reserve(typeName);
        _registrations.Add(services => services.AddKeyedSingleton<IDestinationHandlerFactory, TFactory>(typeName));
        return this;
    }

    /// <summary>
    /// Adds a destination type as <see cref="AddDestinationType{TFactory}(string)"/> does, and lets <c>demo</c> drive it:
    /// the demo API answers with <paramref name="demo"/>'s <see cref="DestinationDemo.Answer"/> (the conformance kit's
    /// callback). <c>demo</c> uses it by default when it is the only one (<c>--type</c> chooses).
    /// </summary>
    /// <exception cref="ArgumentException">The name is blank, a built-in type's, or added already.</exception>
    public DeliveryWorkerBuilder AddDestinationType<TFactory>(string typeName, DestinationDemo demo)
        where TFactory : class, IDestinationHandlerFactory
    {
        ArgumentNullException.ThrowIfNull(demo);
        AddDestinationType<TFactory>(typeName);
        _demos[typeName] = demo;
        return this;
    }

    /// <summary>Adds a destination type whose factory <paramref name="create"/> builds from the service provider.</summary>
    /// <exception cref="ArgumentException">The name is blank, a built-in type's, or added already.</exception>
    public DeliveryWorkerBuilder AddDestinationType(string typeName, Func<IServiceProvider, IDestinationHandlerFactory> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        Reserve(typeName);
        _registrations.Add(services => services.AddKeyedSingleton(typeName, (provider, _) => create(provider)));
        return this;
    }

    /// <summary>Registers services the factories need (added after the worker's own, so a registration here wins).</summary>
    public DeliveryWorkerBuilder ConfigureServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _registrations.Add(configure);
        return this;
    }

    /// <summary>
    /// Parses the command line and runs the command (<c>run</c> when none is given) until it ends or SIGTERM;
    /// returns the process exit code. A failure before the host runs is logged and returns 1.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        Log.Logger = DeliveryLogging.CreateBootstrapLogger();
        try
        {
            return await InvokeAsync(null, null, null, cancellationToken);
        }
#pragma warning disable CA1031 // The process's last word: whatever stopped it is logged, the exit code says it failed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.Fatal(exception, "{Application} stopped before it could run", AppDomain.CurrentDomain.FriendlyName);
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>Runs the command line over <paramref name="template"/> (tests: captured output, overrides).</summary>
    internal Task<int> InvokeAsync(TextWriter? output, TextWriter? error, WorkerHostSettings? template, CancellationToken cancellationToken)
    {
        var settings = Settings(template ?? new WorkerHostSettings());
        return DeliveryCli.InvokeAsync(_args, output, error, settings, cancellationToken);
    }

    /// <summary><paramref name="template"/> with this builder's registrations after its own.</summary>
    internal WorkerHostSettings Settings(WorkerHostSettings template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var registrations = _registrations.ToArray();
        var previous = template.ConfigureServices;
        var demos = new Dictionary<string, DestinationDemo>(template.Demos, StringComparer.Ordinal);
        foreach (var (type, demo) in _demos)
        {
            demos[type] = demo;
        }

        return template with
        {
            Demos = demos,
            ConfigureServices = services =>
            {
                previous?.Invoke(services);
                foreach (var register in registrations)
                {
                    register(services);
                }
            },
        };
    }

    private void Reserve(string typeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        if (BuiltInTypes.Contains(typeName, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{typeName}' is a built-in destination type; choose another name.", nameof(typeName));
        }

        if (!_types.Add(typeName))
        {
            throw new ArgumentException($"The destination type '{typeName}' is added already.", nameof(typeName));
        }
    }
}
