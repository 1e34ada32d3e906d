using System.Threading.Channels;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Pipeline.Controls;

namespace Delivery.Worker.Tests.Pipeline.Controls;

public sealed class LaneSchedulerTests
{
    private readonly PartitionState _source = PipelineUnits.Partition("orders");
    private readonly PartitionState _retries = PipelineUnits.Partition("d.retry.1", retryTier: true);
    private long _offset;

    private PartitionState Source => _source;

    private PartitionState Retries => _retries;

    private WorkBatch Batch(params PartitionState[] partitions)
        => new([.. partitions.Select(p => PipelineUnits.Record(p, _offset++))], 0);

    private static LaneScheduler Scheduler(int slots, double share, out Channel<WorkBatch> channel)
    {
        channel = Channel.CreateUnbounded<WorkBatch>();
        return new LaneScheduler(channel.Reader, slots, share);
    }

    private static async Task<List<DeliveryLane>> TakeAsync(LaneScheduler lanes, int count)
    {
        var taken = new List<DeliveryLane>();
        for (var i = 0; i < count; i++)
        {
            var batch = await lanes.TakeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            taken.Add(batch!.Lane);
        }

        return taken;
    }

    [Theory]
    [InlineData(4, 0.25, 1)]
    [InlineData(4, 0.5, 2)]
    [InlineData(4, 0.01, 1)]
    [InlineData(4, 0.99, 3)]
    [InlineData(4, 0.0, 0)]
    [InlineData(4, 1.0, 4)]
    [InlineData(10, 0.25, 3)]
    [InlineData(1, 0.25, 0)]
    [InlineData(1, 1.0, 1)]
    public void ReservedRetrySlots_ShareOfSlots_RoundedKeepingASlotPerLane(int slots, double share, int expected)
        => Assert.Equal(expected, LaneScheduler.ReservedRetrySlots(slots, share));

    [Fact]
    public async Task TakeAsync_RetryFloodThenFirstAttempts_FirstAttemptsGetTheirSlots()
    {
        using var lanes = Scheduler(4, 0.25, out _);
        for (var i = 0; i < 100; i++)
        {
            lanes.Add(Batch(Retries));
        }

        Assert.Equal(Enumerable.Repeat(DeliveryLane.Retry, 4), await TakeAsync(lanes, 4)); // idle first lane lends its slots
        lanes.Add(Batch(Source));
        lanes.Add(Batch(Source));
        lanes.Done(DeliveryLane.Retry);
        lanes.Done(DeliveryLane.Retry);

        Assert.Equal([DeliveryLane.First, DeliveryLane.First], await TakeAsync(lanes, 2)); // ahead of 96 queued retries
    }

    [Fact]
    public async Task TakeAsync_SourceFloodWithRetriesWaiting_RetriesKeepTheirShare()
    {
        using var lanes = Scheduler(4, 0.5, out _);
        for (var i = 0; i < 50; i++)
        {
            lanes.Add(Batch(Source));
            lanes.Add(Batch(Retries));
        }

        var taken = await TakeAsync(lanes, 4);

        Assert.Equal(2, taken.Count(l => l == DeliveryLane.Retry));
        Assert.Equal(2, taken.Count(l => l == DeliveryLane.First));
        Assert.False(lanes.TakeAsync().AsTask().IsCompleted); // every slot is taken
    }

    [Theory]
    [InlineData(20, 8, 2)]
    [InlineData(40, 40, 10)] // many turns: exactly the share, no drift
    public async Task TakeAsync_OneSlot_LanesTakeTurnsInTheShare(int batchesPerLane, int turnCount, int retryTurns)
    {
        using var lanes = Scheduler(1, 0.25, out _);
        for (var i = 0; i < batchesPerLane; i++)
        {
            lanes.Add(Batch(Source));
            lanes.Add(Batch(Retries));
        }

        var turns = new List<DeliveryLane>();
        for (var i = 0; i < turnCount; i++)
        {
            turns.AddRange(await TakeAsync(lanes, 1));
            lanes.Done(turns[^1]);
        }

        Assert.Equal(retryTurns, turns.Count(l => l == DeliveryLane.Retry));
    }

    [Fact]
    public async Task Add_MixedBatch_SplitIntoOneBatchPerLaneKeepingOrder()
    {
        using var lanes = Scheduler(2, 0.5, out _);
        lanes.Add(Batch(Source, Retries, Source, Retries));

        var a = await lanes.TakeAsync();
        var b = await lanes.TakeAsync();

        var first = Assert.Single(new[] { a!, b! }, x => x.Lane == DeliveryLane.First);
        var retry = Assert.Single(new[] { a!, b! }, x => x.Lane == DeliveryLane.Retry);
        Assert.Equal([0L, 2L], first.Batch.Records.Select(r => r.Offset));
        Assert.Equal([1L, 3L], retry.Batch.Records.Select(r => r.Offset));
    }

    [Fact]
    public async Task PumpAsync_ChannelCompleted_WorkersTakeWhatIsLeftThenEnd()
    {
        using var lanes = Scheduler(2, 0.5, out var channel);
        var pump = lanes.PumpAsync();
        await channel.Writer.WriteAsync(Batch(Source));
        channel.Writer.Complete();
        await pump.WaitAsync(TimeSpan.FromSeconds(10));

        var last = await lanes.TakeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        lanes.Done(last!.Lane);

        Assert.Null(await lanes.TakeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await lanes.TakeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Done_FirstLaneBatch_FreesAFirstLaneSlot()
    {
        using var lanes = Scheduler(2, 0.5, out _);
        for (var i = 0; i < 5; i++)
        {
            lanes.Add(Batch(Source));
            lanes.Add(Batch(Retries));
        }

        Assert.Equal([DeliveryLane.First, DeliveryLane.Retry], (await TakeAsync(lanes, 2)).Order());
        lanes.Done(DeliveryLane.First);

        Assert.Equal([DeliveryLane.First], await TakeAsync(lanes, 1));
    }

    [Fact]
    public async Task TakeAsync_FirstLaneBorrowedEverySlot_FreedSlotGoesToTheRetriesNowWaiting()
    {
        using var lanes = Scheduler(4, 0.5, out _);
        for (var i = 0; i < 6; i++)
        {
            lanes.Add(Batch(Source));
        }

        Assert.Equal(Enumerable.Repeat(DeliveryLane.First, 4), await TakeAsync(lanes, 4));
        lanes.Add(Batch(Retries));
        lanes.Add(Batch(Retries));
        lanes.Done(DeliveryLane.First);

        Assert.Equal([DeliveryLane.Retry], await TakeAsync(lanes, 1));
    }

    [Fact]
    public async Task TakeAsync_WorkerWaitingOnEmptyLanes_WokenByAdd()
    {
        using var lanes = Scheduler(2, 0.5, out _);
        var waiting = lanes.TakeAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        lanes.Add(Batch(Source));

        Assert.Equal(DeliveryLane.First, (await waiting.WaitAsync(Deadline))!.Lane);
    }

    [Fact]
    public async Task TakeAsync_WorkerWaitingForASlot_WokenByDone()
    {
        using var lanes = Scheduler(1, 0.5, out _);
        lanes.Add(Batch(Source));
        lanes.Add(Batch(Source));
        var running = await lanes.TakeAsync();
        var waiting = lanes.TakeAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        lanes.Done(running!.Lane);

        Assert.NotNull(await waiting.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Add_MixedBatchWhileTwoWorkersWait_EachTakesAPart()
    {
        using var lanes = Scheduler(2, 0.5, out _);
        var a = lanes.TakeAsync().AsTask();
        var b = lanes.TakeAsync().AsTask();

        lanes.Add(Batch(Source, Retries));

        var taken = await Task.WhenAll(a, b).WaitAsync(Deadline);
        Assert.Equal([DeliveryLane.First, DeliveryLane.Retry], taken.Select(t => t!.Lane).Order());
    }

    [Fact]
    public async Task PumpAsync_ChannelCompletesWhileTwoWorkersWait_BothEnd()
    {
        using var lanes = Scheduler(2, 0.5, out var channel);
        var pump = lanes.PumpAsync();
        var a = lanes.TakeAsync().AsTask();
        var b = lanes.TakeAsync().AsTask();

        channel.Writer.Complete();
        await pump.WaitAsync(Deadline);

        Assert.All(await Task.WhenAll(a, b).WaitAsync(Deadline), Assert.Null);
    }

    [Fact]
    public async Task TakeAsync_CompletedButWorkLeftWhileEverySlotIsBusy_WaitsInsteadOfEnding()
    {
        using var lanes = Scheduler(1, 0.5, out var channel);
        var pump = lanes.PumpAsync();
        await channel.Writer.WriteAsync(Batch(Source));
        await channel.Writer.WriteAsync(Batch(Source));
        channel.Writer.Complete();
        await pump.WaitAsync(Deadline);
        var running = await lanes.TakeAsync();

        var next = lanes.TakeAsync().AsTask();
        Assert.False(next.IsCompleted);
        Assert.Equal((1, 0), lanes.Queued);
        lanes.Done(running!.Lane);

        Assert.NotNull(await next.WaitAsync(Deadline));
    }

    [Fact]
    public void Guards_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new LaneScheduler(null!, 1, 0.5));
        using var lanes = Scheduler(1, 0.5, out _);
        Assert.Throws<ArgumentNullException>(() => lanes.Add(null!));
    }
}
