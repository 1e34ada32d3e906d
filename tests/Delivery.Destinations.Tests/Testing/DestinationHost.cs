using Delivery.Core;
using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Destinations.Tests.Testing;

/// <summary>The destinations' DI registration over in-memory configuration, as the worker uses it.</summary>
internal sealed class DestinationHost : IDisposable
{
    private readonly ServiceProvider _services;

    public DestinationHost(IDictionary<string, string?> settings, TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        configure?.Invoke(services);
        services.AddDeliveryDestinations(Configuration);
        _services = services.BuildServiceProvider();
    }

    public IConfiguration Configuration { get; }

    public IServiceProvider Services => _services;

    public IDestinationHandlerFactory Factory(string type) => _services.GetRequiredKeyedService<IDestinationHandlerFactory>(type);

    /// <summary>The common options of <paramref name="destination"/> as the worker hands them to a factory (bound once by Core).</summary>
    public DestinationOptions Options(string destination)
    {
        var failures = new List<string>();
        var options = DeliveryConfiguration.Bind(Configuration, failures);
        Assert.Empty(failures);
        return options.Destinations.TryGetValue(destination, out var found) ? found : new DestinationOptions();
    }

    /// <summary>What the factory of <paramref name="type"/> reports for <paramref name="destination"/>.</summary>
    public IReadOnlyList<string> Validate(string type, string destination) => Factory(type).Validate(destination, Options(destination));

    /// <summary>The handler the factory of <paramref name="type"/> creates for <paramref name="destination"/>.</summary>
    public IDestinationHandler CreateHandler(string type, string destination) => Factory(type).Create(destination, Options(destination));

    /// <summary>A host with one destination "dest" of <paramref name="type"/> at <paramref name="baseAddress"/>.</summary>
    public static (DestinationHost Host, IDestinationHandler Handler) Create(
        string type,
        Uri baseAddress,
        IDictionary<string, string?>? extra = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Delivery:Destinations:dest:Type"] = type,
            ["Delivery:Destinations:dest:Http:BaseAddress"] = baseAddress.ToString(),
            ["Delivery:Destinations:dest:Http:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key.StartsWith("Delivery:", StringComparison.Ordinal) ? key : $"Delivery:Destinations:dest:{key}"] = value;
        }

        var host = new DestinationHost(settings, time, configure);
        return (host, host.CreateHandler(type, "dest"));
    }

    public void Dispose() => _services.Dispose();
}
