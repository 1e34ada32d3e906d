using Delivery.Core;

namespace Delivery.Worker.Tests.Cli;

/// <summary>A destination type whose settings are always valid (validate-config tests only; it never creates a handler).</summary>
internal sealed class AcceptingDestinationFactory : IDestinationHandlerFactory
{
    public const string TypeName = "CliTestAccepting";

    public IReadOnlyList<string> Validate(string destination) => [];

    public IDestinationHandler Create(string destination) => throw new NotSupportedException("validate-config never creates handlers");
}
