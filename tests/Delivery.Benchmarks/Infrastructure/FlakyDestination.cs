using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>
/// The destination of the retry scenario: each event fails transiently (per-slot 503) when
/// <see cref="FailureCoin"/> says so for its attempt, else succeeds. Counts every event it is sent.
/// </summary>
internal sealed class FlakyDestination(double failureRate) : IDestinationHandler
{
    private static readonly ActionDestinationSuccessResponse Ok = new() { Status = 200 };
    private static readonly ActionDestinationErrorResponse Transient = new() { Status = 503, ErrorMessage = "benchmark transient failure" };
    private long _sends;
    private long _calls;

    /// <summary>Events sent to the destination (every attempt of every event).</summary>
    public long Sends => Interlocked.Read(ref _sends);

    /// <summary>Batches (requests) sent.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _sends, batch.Count);
        Interlocked.Increment(ref _calls);
        var response = new MultiStatusResponse(batch.Count);
        foreach (var evt in batch)
        {
            if (FailureCoin.Fails(evt.EventId, evt.Attempt, failureRate))
            {
                response.PushErrorResponse(Transient);
            }
            else
            {
                response.PushSuccessResponse(Ok);
            }
        }

        return ValueTask.FromResult(response);
    }
}
