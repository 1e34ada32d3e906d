using Delivery.Core;
using Delivery.Core.Options;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>Registers the retry scenario's destination (keyed type <c>BenchFlaky</c>), selective or whole-batch.</summary>
internal sealed class FlakyDestinationFactory(double failureRate, bool wholeBatch) : IDestinationHandlerFactory
{
    public const string TypeName = "BenchFlaky";

    public FlakyDestination Destination { get; } = new(failureRate);

    public IReadOnlyList<string> Validate(string destination, DestinationOptions options) => [];

    public IDestinationHandler Create(string destination, DestinationOptions options) => wholeBatch ? new WholeBatchHandler(Destination) : Destination;
}
