using Delivery.Core;
using Delivery.Core.Options;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>Registers the timeliness scenario's destination (keyed type <c>BenchTimeline</c>).</summary>
internal sealed class TimelineDestinationFactory(TimelineDestination destination) : IDestinationHandlerFactory
{
    public const string TypeName = "BenchTimeline";

    public TimelineDestination Destination { get; } = destination;

    public IReadOnlyList<string> Validate(string destination, DestinationOptions options) => [];

    public IDestinationHandler Create(string destination, DestinationOptions options) => Destination;
}
