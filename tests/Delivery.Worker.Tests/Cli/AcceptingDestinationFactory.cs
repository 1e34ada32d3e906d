using Delivery.Core;
using Delivery.Core.Options;

namespace Delivery.Worker.Tests.Cli;

/// <summary>A destination type whose settings are always valid (validate-config tests only; it never creates a handler).</summary>
internal sealed class AcceptingDestinationFactory : IDestinationHandlerFactory
{
    public const string TypeName = "CliTestAccepting";

    public IReadOnlyList<string> Validate(string destination, DestinationOptions options) => [];

    public IDestinationHandler Create(string destination, DestinationOptions options) => throw new NotSupportedException("validate-config never creates handlers");
}
