using Delivery.Core.MultiStatus;
using Delivery.Core.Options;
using Delivery.Core.Outcomes;
using Delivery.Core.Retry;

namespace Delivery.Core.Tests.Outcomes;

public sealed class OutcomeResolverAllocationTests
{
    [Fact]
    public void Resolve_AllDelivered_AtMost64BytesPerEvent()
    {
        const int count = 1000;
        var batch = TestEvents.Batch(count);
        var ms = new MultiStatusResponse(count);
        var ok = new ActionDestinationSuccessResponse { Status = 200 };
        for (var i = 0; i < count; i++)
        {
            ms.PushSuccessResponse(ok);
        }

        var policy = new RetryPolicy(new RetryOptions());
        var random = new Random(1);
        OutcomeResolver.Resolve(batch, ms, policy, TestEvents.Now, random);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var resolution = OutcomeResolver.Resolve(batch, ms, policy, TestEvents.Now, random);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.All(resolution.Outcomes, o => Assert.Same(EventOutcome.Delivered, o));
        Assert.InRange(allocated, 0, 64 * count);
    }
}
