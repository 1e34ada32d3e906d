using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Worker.Hosting;

/// <summary>How to build a worker host (the CLI fills it from its options; tests and the demo add overrides).</summary>
internal sealed record WorkerHostSettings
{
    /// <summary>The hosting environment (Production, Development…); null reads DOTNET_ENVIRONMENT / ASPNETCORE_ENVIRONMENT.</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>Directory holding appsettings.json; null means the executable's directory.</summary>
    public string? ContentRoot { get; init; }

    /// <summary>An extra JSON file layered after appsettings.{Environment}.json and before environment variables.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Keys layered last (the demo composes its configuration this way; tests too).</summary>
    public IReadOnlyDictionary<string, string?>? Overrides { get; init; }

    /// <summary>Read environment variables (true except in tests that must not see the machine's environment).</summary>
    public bool UseEnvironmentVariables { get; init; } = true;

    /// <summary>Listen here instead of on <c>Delivery:Http:Port</c> (tests and the demo bind 127.0.0.1:0).</summary>
    public IPEndPoint? ListenEndPoint { get; init; }

    /// <summary>Write logs here instead of the console.</summary>
    public TextWriter? LogOutput { get; init; }

    /// <summary>How <c>demo</c> drives custom destination types, by type name (from <see cref="DeliveryWorkerBuilder"/>).</summary>
    public IReadOnlyDictionary<string, DestinationDemo> Demos { get; init; } = new Dictionary<string, DestinationDemo>();

    /// <summary>Last-word service registrations (tests, the demo).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
