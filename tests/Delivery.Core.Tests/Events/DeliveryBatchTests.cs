using System.Diagnostics;
using Delivery.Core.Events;

namespace Delivery.Core.Tests.Events;

public sealed class DeliveryBatchTests
{
    [Fact]
    public void New_ExposesEventsDestinationAndTrace()
    {
        var trace = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var events = new[] { TestEvents.Event(0), TestEvents.Event(1) };

        var batch = new DeliveryBatch("orders", events, trace);

        Assert.Equal("orders", batch.Destination);
        Assert.Equal(trace, batch.TraceContext);
        Assert.Equal(2, batch.Count);
        Assert.Same(events[1], batch[1]);
        Assert.Equal(events, batch);
        Assert.Equal(2, ((System.Collections.IEnumerable)batch).Cast<DeliveryEvent>().Count());
    }

    [Fact]
    public void Slice_PicksEventsInGivenOrderKeepingContext()
    {
        var trace = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        var batch = new DeliveryBatch("orders", [TestEvents.Event(0), TestEvents.Event(1), TestEvents.Event(2)], trace);

        var slice = batch.Slice([2, 0]);

        Assert.Equal(["orders/0/2", "orders/0/0"], slice.Select(e => e.EventId));
        Assert.Equal("orders", slice.Destination);
        Assert.Equal(trace, slice.TraceContext);
    }

    [Fact]
    public void New_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new DeliveryBatch(null!, []));
        Assert.Throws<ArgumentNullException>(() => new DeliveryBatch("orders", null!));
        Assert.Throws<ArgumentNullException>(() => new DeliveryBatch("orders", []).Slice(null!));
    }
}
