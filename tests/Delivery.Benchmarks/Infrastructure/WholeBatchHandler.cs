using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// Benchmark-only model of the old all-or-nothing behaviour: when any slot of the destination's answer failed, every
/// slot of the batch fails with that error, so the events that succeeded are sent again.
/// </summary>
internal sealed class WholeBatchHandler(IDestinationHandler inner) : IDestinationHandler
{
    public async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        var response = await inner.SendBatchAsync(batch, cancellationToken);
        if (response.ErrorCount == 0)
        {
            return response;
        }

        var firstError = Enumerable.Range(0, batch.Count).Select(response.GetResponseAtIndex).OfType<ActionDestinationErrorResponse>().First();
        var all = new MultiStatusResponse(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            all.PushErrorResponse(firstError);
        }

        return all;
    }
}
