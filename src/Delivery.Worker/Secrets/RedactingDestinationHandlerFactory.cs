using Delivery.Core;
using Delivery.Core.Options;
using Delivery.Core.Secrets;

namespace Delivery.Worker.Secrets;

/// <summary>Wraps every handler a destination type creates in a <see cref="RedactingDestinationHandler"/>.</summary>
internal sealed class RedactingDestinationHandlerFactory : IDestinationHandlerFactory
{
    private readonly IDestinationHandlerFactory _inner;
    private readonly SecretRedactor _redactor;

    public RedactingDestinationHandlerFactory(IDestinationHandlerFactory inner, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(redactor);
        _inner = inner;
        _redactor = redactor;
    }

    /// <inheritdoc />
    public Type? SettingsType => _inner.SettingsType;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(string destination, DestinationOptions options) => _inner.Validate(destination, options);

    /// <inheritdoc />
    public IDestinationHandler Create(string destination, DestinationOptions options)
    {
        var handler = _inner.Create(destination, options);
        return handler is RedactingDestinationHandler ? handler : new RedactingDestinationHandler(handler, _redactor);
    }
}
