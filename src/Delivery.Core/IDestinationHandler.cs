using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Core;

/// <summary>Delivers a batch to one destination and answers per event.</summary>
public interface IDestinationHandler
{
    /// <summary>
    /// Sends <paramref name="batch"/>. Slot <c>i</c> of the answer is the verdict on <c>batch[i]</c>.
    /// Throw <see cref="DestinationUnavailableException"/> for destination-level failures (the pipeline holds);
    /// any other exception makes every event of the batch a retryable <see cref="ErrorCodes.HandlerException"/>.
    /// </summary>
    ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken);
}
