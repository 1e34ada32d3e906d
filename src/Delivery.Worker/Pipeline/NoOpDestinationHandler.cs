using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Worker.Pipeline;

/// <summary>The built-in <c>NoOp</c> destination: accepts every event (benchmarks, demo, smoke tests).</summary>
internal sealed class NoOpDestinationHandler : IDestinationHandler
{
    private static readonly ActionDestinationSuccessResponse Ok = new() { Status = 200 };

    /// <inheritdoc />
    public ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var response = new MultiStatusResponse(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            response.PushSuccessResponse(Ok);
        }

        return ValueTask.FromResult(response);
    }
}
