using Delivery.Core;
using Delivery.Core.Options;

namespace Delivery.Worker.Pipeline;

/// <summary>Creates <see cref="NoOpDestinationHandler"/>s (destination type <c>NoOp</c>).</summary>
internal sealed class NoOpDestinationHandlerFactory : IDestinationHandlerFactory
{
    /// <summary>The destination type name.</summary>
    public const string TypeName = "NoOp";

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(string destination, DestinationOptions options) => [];

    /// <inheritdoc />
    public IDestinationHandler Create(string destination, DestinationOptions options) => new NoOpDestinationHandler();
}
