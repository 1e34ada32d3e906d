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

    [Fact]
    public void Flush_ChannelHasRoomAgain_HandsTheOverflowOverInOrder()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);
        var work = new WorkTracker("d", PipelineUnits.Metrics(), time, wakeup);
        var queue = new BatchQueue(1, work);
        var p = PipelineUnits.Partition();
        for (var i = 0; i < 3; i++)
        {
            work.Tracked();
            queue.Enqueue(new WorkBatch([PipelineUnits.Record(p, i)], 0));
        }

        var handed = new List<long>();
        while (queue.Reader.TryRead(out var batch))
        {
            handed.Add(batch.Records[0].Offset);
            queue.Flush();
        }

        Assert.Equal([0L, 1L, 2L], handed);
        Assert.Equal(3, work.InFlight);
    }

    [Fact]
    public void Enqueue_WhileBatchesOverflowed_QueuesBehindThemEvenIfTheChannelHasRoom()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);
        var work = new WorkTracker("d", PipelineUnits.Metrics(), time, wakeup);
        var queue = new BatchQueue(1, work);
        var p = PipelineUnits.Partition();
        queue.Enqueue(new WorkBatch([PipelineUnits.Record(p, 0)], 0));
        queue.Enqueue(new WorkBatch([PipelineUnits.Record(p, 1)], 0));
        Assert.True(queue.Reader.TryRead(out var first));

        queue.Enqueue(new WorkBatch([PipelineUnits.Record(p, 2)], 0));
        var rest = new List<long>();
        while (queue.Reader.TryRead(out var batch))
        {
            rest.Add(batch.Records[0].Offset);
            queue.Flush();
        }

        Assert.Equal(0, first.Records[0].Offset);
        Assert.Equal([1L, 2L], rest);
    }

    [Fact]
    public void Complete_RetryOnlyBatchOverflowed_AbandonedWithoutGivingASlotBack()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);
        var work = new WorkTracker("d", PipelineUnits.Metrics(), time, wakeup);
        var slots = new BatchSlots(4);
        var queue = new BatchQueue(1, work, slots);
        var tier = PipelineUnits.Partition(topic: "d.retry.1", retryTier: true);
        slots.Take();
        work.Tracked();
        queue.Enqueue(new WorkBatch([PipelineUnits.Record(PipelineUnits.Partition(), 0)], 0));
        work.Tracked();
        var retry = PipelineUnits.Record(tier, 0);
        queue.Enqueue(new WorkBatch([retry], 0));

        queue.Complete();

        Assert.Equal(1, slots.Busy);
        Assert.Equal(1, work.InFlight);
        Assert.False(retry.TryComplete());
        Assert.False(queue.Reader.Completion.IsCompleted);
        Assert.True(queue.Reader.TryRead(out _));
        Assert.True(queue.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void Enqueue_CapacityZero_StillTakesABatch()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);
        var queue = new BatchQueue(0, new WorkTracker("d", PipelineUnits.Metrics(), time, wakeup));

        queue.Enqueue(new WorkBatch([PipelineUnits.Record(PipelineUnits.Partition(), 0)], 0));

        Assert.Equal(1, queue.Queued);
    }

    [Fact]
    public void Enqueue_MixedBatchAfterComplete_GivesItsSlotBack()
    {
        var time = PipelineUnits.Clock();
        using var wakeup = new LoopWakeup(time);
        var work = new WorkTracker("d", PipelineUnits.Metrics(), time, wakeup);
        var slots = new BatchSlots(2);
        var queue = new BatchQueue(4, work, slots);
        queue.Complete();
        slots.Take();
        var tier = PipelineUnits.Partition(topic: "d.retry.1", retryTier: true);

        queue.Enqueue(new WorkBatch([PipelineUnits.Record(tier, 0), PipelineUnits.Record(PipelineUnits.Partition(), 0)], 0));

        Assert.Equal(0, slots.Busy);
        Assert.Throws<ArgumentNullException>(() => queue.Enqueue(null!));
    }
}
