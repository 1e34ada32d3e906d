using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Secrets;

namespace Delivery.Worker.Secrets;

/// <summary>
/// Wraps a destination's handler so nothing it reports carries a secret: the error message and body of every
/// per-event error, and the message of any exception it throws (a destination that echoes the request's
/// <c>Authorization</c> header in an error would otherwise put the token into retry and dead-letter headers and logs).
/// Everything downstream — outcome resolution, the header codec, logging — only ever sees redacted text.
/// </summary>
internal sealed class RedactingDestinationHandler : IDestinationHandler, IAsyncDisposable
{
    private readonly IDestinationHandler _inner;
    private readonly SecretRedactor _redactor;

    public RedactingDestinationHandler(IDestinationHandler inner, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(redactor);
        _inner = inner;
        _redactor = redactor;
    }

    /// <summary>The wrapped handler.</summary>
    public IDestinationHandler Inner => _inner;

    /// <inheritdoc />
    public async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        MultiStatusResponse response;
        try
        {
            response = await _inner.SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ExceptionRedaction.Leaks(e, _redactor))
        {
            throw ExceptionRedaction.Redact(e, _redactor);
        }

        return response is null ? response! : Redact(response);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        switch (_inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private MultiStatusResponse Redact(MultiStatusResponse response)
    {
        for (var i = 0; i < response.Length; i++)
        {
            if (response.GetResponseAtIndex(i) is ActionDestinationErrorResponse error)
            {
                var message = _redactor.Redact(error.ErrorMessage);
                var body = _redactor.Redact(error.Body);
                var sent = _redactor.Redact(error.Sent);
                if (!ReferenceEquals(message, error.ErrorMessage) || !ReferenceEquals(body, error.Body) || !ReferenceEquals(sent, error.Sent))
                {
                    response.SetErrorResponseAtIndex(i, error with { ErrorMessage = message, Body = body, Sent = sent });
                }
            }
        }

        return response;
    }
}
