using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Microsoft.Extensions.DependencyInjection;

namespace Delivery.Testing;

/// <summary>A handler together with the service provider that made it; disposing it disposes both.</summary>
internal sealed class OwnedHandler(IDestinationHandler inner, ServiceProvider provider) : IDestinationHandler, IAsyncDisposable
{
    public ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
        => inner.SendBatchAsync(batch, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        switch (inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        await provider.DisposeAsync().ConfigureAwait(false);
    }
}
