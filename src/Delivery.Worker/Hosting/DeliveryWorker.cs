using System.Diagnostics.CodeAnalysis;

namespace Delivery.Worker;

/// <summary>
/// The entry point of a delivery-worker executable, the stock <c>delivery-worker</c> and custom ones alike:
/// <code>return await DeliveryWorker.CreateBuilder(args).AddDestinationType&lt;MyApiHandlerFactory&gt;("MyApi").RunAsync();</code>
/// The executable gets every command (<c>run</c>, <c>validate-config</c>, <c>dlq</c>, <c>demo</c>), the same
/// configuration keys, telemetry, logging and health endpoints, and the built-in destination types next to its own.
/// </summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "The public entry point of custom worker executables.")]
public static class DeliveryWorker
{
    /// <summary>Starts describing a worker executable for the command line <paramref name="args"/>.</summary>
    public static DeliveryWorkerBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new DeliveryWorkerBuilder(args);
    }
}
