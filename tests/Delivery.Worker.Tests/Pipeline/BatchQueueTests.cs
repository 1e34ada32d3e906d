using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class BatchQueueTests
{
    [Fact]
    public void Enqueue_AfterComplete_AbandonsTheRecordsAndGivesTheSlotBack()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);
        var work = new WorkTracker("d", PipelineUnits.Metrics(), time, wakeup);
        var slots = new BatchSlots(1);
        var queue = new BatchQueue(4, work, slots);
        var record = PipelineUnits.Record(PipelineUnits.Partition(), 0);
        work.Tracked();
        queue.Complete();
        slots.Take();

        queue.Enqueue(new WorkBatch([record], 0));

        Assert.Equal(0, slots.Busy);
        Assert.Equal(0, work.InFlight);
        Assert.False(record.TryComplete());
    }

    [Fact]
    public void Complete_WithOverflow_GivesEachOverflowedBatchsSlotBack()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);
        var work = new WorkTracker("d", PipelineUnits.Metrics(), time, wakeup);
        var slots = new BatchSlots(4);
        var queue = new BatchQueue(1, work, slots);
        var p = PipelineUnits.Partition();
        for (var i = 0; i < 3; i++)
        {
            work.Tracked();
            slots.Take();
            queue.Enqueue(new WorkBatch([PipelineUnits.Record(p, i)], 0));
        }

        queue.Complete();

        Assert.Equal(1, slots.Busy);
        Assert.Equal(1, work.InFlight);
        Assert.Equal(1, queue.Queued);
    }
}
