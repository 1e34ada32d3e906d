using Confluent.Kafka;
using Delivery.Core.Options;
using Delivery.Core.Topology;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class RebalanceHandlerTests : IDisposable
{
    private static readonly TimeSpan RevokeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();
    private readonly PartitionRegistry _registry = new();
    private readonly List<WorkBatch> _cut = [];
    private readonly List<IReadOnlyList<TopicPartitionOffset>> _commits = [];
    private readonly LoopWakeup _wakeup;
    private readonly WorkTracker _work;
    private readonly CommitScheduler _scheduler;
    private readonly Batcher _batcher;
    private readonly PipelineRun _run = new();
    private readonly RebalanceHandler _handler;

    public RebalanceHandlerTests()
    {
        _wakeup = new LoopWakeup(_time);
        _work = new WorkTracker("d", PipelineUnits.Metrics(), _time, _wakeup);
        _scheduler = new CommitScheduler("d", TimeSpan.FromSeconds(1), RevokeTimeout, _registry, PipelineUnits.Metrics(), _time, NullLogger.Instance);
        _batcher = new Batcher(new BatchOptions { MaxEvents = 100 }, _time, _cut.Add);
        var topology = DestinationTopology.For("d", new DestinationOptions { SourceTopics = ["orders"] });
        _handler = new RebalanceHandler("d", topology, _registry, _scheduler, _batcher, _work, new HeldBatches(), _run, RevokeTimeout, _time, NullLogger.Instance);
    }

    private static readonly TopicPartition Orders0 = new("orders", 0);

    private PendingRecord Consume(PartitionState state, long offset)
    {
        var record = PipelineUnits.Record(state, offset);
        _work.Tracked();
        return record;
    }

    private PendingRecord Start(PartitionState state, long offset)
    {
        var record = Consume(state, offset);
        Assert.True(state.TryStart());
        record.Started = true;
        return record;
    }

    [Fact]
    public void OnAssigned_RegistersStatesAndMarksTheTierTopics()
    {
        _handler.OnAssigned([Orders0, new TopicPartition("d.retry.1", 0)]);

        Assert.True(_registry.TryGet(Orders0, out var source));
        Assert.False(source.IsRetryTier);
        Assert.True(_registry.TryGet(new TopicPartition("d.retry.1", 0), out var tier));
        Assert.True(tier.IsRetryTier);
        Assert.True(_handler.TakeChanged());
        Assert.False(_handler.TakeChanged());
    }

    [Fact]
    public async Task OnRevoked_WorkStillStarted_WaitsTheRevokeTimeoutThenCommitsWhatIsResolved()
    {
        _handler.OnAssigned([Orders0]);
        _registry.TryGet(Orders0, out var state);
        _work.Resolve(Start(state, 0), final: true);
        Start(state, 1);

        var revoke = Task.Run(() => _handler.OnRevoked([Orders0], _commits.Add));
        await Wait.UntilAsync(() => _wakeup.HasWaiter, Deadline, "the revoke waits for the started record");
        _time.Advance(RevokeTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(revoke.IsCompleted);
        Assert.Empty(_commits);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await revoke.WaitAsync(Deadline);

        Assert.Equal(new TopicPartitionOffset(Orders0, 1), Assert.Single(Assert.Single(_commits)));
        Assert.False(_registry.TryGet(Orders0, out _));
        Assert.True(state.IsRevoked);
        Assert.True(state.IsReleased);
    }

    [Fact]
    public async Task OnRevoked_StartedWorkFinishes_ReturnsWithoutWaitingTheTimeout()
    {
        _handler.OnAssigned([Orders0]);
        _registry.TryGet(Orders0, out var state);
        var record = Start(state, 0);

        var revoke = Task.Run(() => _handler.OnRevoked([Orders0], _commits.Add));
        await Wait.UntilAsync(() => _wakeup.HasWaiter, Deadline, "the revoke waits for the started record");
        _work.Resolve(record, final: true);
        await revoke.WaitAsync(Deadline);

        Assert.Equal(new TopicPartitionOffset(Orders0, 1), Assert.Single(Assert.Single(_commits)));
    }

    [Fact]
    public void OnRevoked_BufferedRecordsOfThePartition_AreAbandonedNotCommitted()
    {
        _handler.OnAssigned([Orders0, new TopicPartition("orders", 1)]);
        _registry.TryGet(Orders0, out var revoked);
        _registry.TryGet(new TopicPartition("orders", 1), out var kept);
        _batcher.Add(Consume(revoked, 0));
        _batcher.Add(Consume(kept, 0));

        _handler.OnRevoked([Orders0], _commits.Add);
        _batcher.Cut();

        Assert.Empty(_commits);
        Assert.Equal(1, _work.InFlight);
        Assert.Same(kept, Assert.Single(Assert.Single(_cut).Records).Partition);
        Assert.False(revoked.TryStart());
    }

    [Fact]
    public void OnLost_CommitsNothingAndReleasesThePartition()
    {
        _handler.OnAssigned([Orders0]);
        _registry.TryGet(Orders0, out var state);
        _work.Resolve(Start(state, 0), final: true);

        _handler.OnLost([Orders0]);
        _scheduler.Commit(_commits.Add);

        Assert.Empty(_commits);
        Assert.True(state.IsReleased);
        Assert.Empty(_registry.Snapshot);
    }

    private (RebalanceHandler Handler, FakeLogger Logger, HeldBatches Held, KeyOrderStage Order) WithLogAndOrder()
    {
        var logger = new FakeLogger();
        var held = new HeldBatches();
        var order = new KeyOrderStage(new KeyOrderGate(_time), new KeyOrderInbox(_wakeup), new OrderedPartitionFlow(100));
        var topology = DestinationTopology.For("d", new DestinationOptions { SourceTopics = ["orders"] });
        var handler = new RebalanceHandler("d", topology, _registry, _scheduler, _batcher, _work, held, _run, RevokeTimeout, _time, logger, order);
        return (handler, logger, held, order);
    }

    [Fact]
    public void OnAssigned_LogsThePartitionsAndEndsARebalancePause()
    {
        var (handler, logger, _, _) = WithLogAndOrder();
        handler.OnAssigned([Orders0]);
        _registry.TryGet(Orders0, out var state);
        _work.Resolve(Consume(state, 0), final: true);
        _scheduler.Commit(_ => throw new KafkaException(ErrorCode.RebalanceInProgress));
        Assert.True(_scheduler.Rebalancing);

        handler.OnAssigned([new TopicPartition("orders", 1)]);

        Assert.False(_scheduler.Rebalancing);
        var log = logger.Collector.LatestRecord;
        Assert.Equal(3002, log.Id.Id);
        Assert.Contains("partitions assigned orders/1", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnRevoked_LogsThePartitionsAndTheCommittedOffsetsAndMarksTheChange()
    {
        var (handler, logger, _, _) = WithLogAndOrder();
        handler.OnAssigned([Orders0, new TopicPartition("orders", 1)]);
        Assert.True(handler.TakeChanged());
        _registry.TryGet(Orders0, out var state);
        _work.Resolve(Consume(state, 0), final: true);

        handler.OnRevoked([Orders0, new TopicPartition("orders", 1)], _commits.Add);

        Assert.True(handler.TakeChanged());
        var log = logger.Collector.LatestRecord;
        Assert.Equal(3003, log.Id.Id);
        Assert.Contains("partitions revoked orders/0,orders/1, committed orders/0@1", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnRevoked_ParkedKeysAndHeldBatches_AbandonedAndWoken()
    {
        var (handler, _, held, order) = WithLogAndOrder();
        handler.OnAssigned([Orders0]);
        _registry.TryGet(Orders0, out var state);
        order.Add(KeyOrderGateTests.Keyed(state, 0, "a"), _batcher);
        _work.Tracked();
        var parked = KeyOrderGateTests.Keyed(state, 1, "a");
        _work.Tracked();
        order.Add(parked, _batcher);
        var wake = held.Enter(CancellationToken.None);

        handler.OnRevoked([Orders0], _commits.Add);

        Assert.Equal(0, order.Gate.Parked);
        Assert.False(parked.TryComplete());
        Assert.True(wake.IsCancellationRequested);
        Assert.Equal(0, _work.InFlight);
        held.Leave(wake);
    }

    [Fact]
    public async Task OnRevoked_WorkOfTwoPartitionsStuck_LogsHowManyEventsItGaveUpOn()
    {
        var (handler, logger, _, _) = WithLogAndOrder();
        var orders1 = new TopicPartition("orders", 1);
        handler.OnAssigned([Orders0, orders1]);
        _registry.TryGet(Orders0, out var first);
        _registry.TryGet(orders1, out var second);
        Start(first, 0);
        Start(second, 0);

        var revoke = Task.Run(() => handler.OnRevoked([Orders0, orders1], _commits.Add));
        await Wait.UntilAsync(() => _wakeup.HasWaiter, Deadline, "the revoke waits for the started records");
        _time.Advance(RevokeTimeout);
        await revoke.WaitAsync(Deadline);

        var gaveUp = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 3016);
        Assert.Contains("waiting for 2 in-flight events", gaveUp.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnRevoked_NothingStarted_DoesNotLogAGiveUp()
    {
        var (handler, logger, _, _) = WithLogAndOrder();
        handler.OnAssigned([Orders0]);

        handler.OnRevoked([Orders0], _commits.Add);

        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Id.Id == 3016);
    }

    [Fact]
    public void OnLost_RevokesDropsBufferedAndParkedRecordsWakesHeldBatchesAndLogs()
    {
        var (handler, logger, held, order) = WithLogAndOrder();
        handler.OnAssigned([Orders0]);
        Assert.True(handler.TakeChanged());
        _registry.TryGet(Orders0, out var state);
        var buffered = Consume(state, 0);
        _batcher.Add(buffered);
        order.Add(KeyOrderGateTests.Keyed(state, 1, "a"), _batcher);
        _work.Tracked();
        var parked = KeyOrderGateTests.Keyed(state, 2, "a");
        _work.Tracked();
        order.Add(parked, _batcher);
        var wake = held.Enter(CancellationToken.None);

        handler.OnLost([Orders0]);

        Assert.True(state.IsRevoked);
        Assert.False(state.TryStart());
        Assert.True(handler.TakeChanged());
        Assert.False(buffered.TryComplete());
        Assert.False(parked.TryComplete());
        Assert.Equal(0, _batcher.Count);
        Assert.True(wake.IsCancellationRequested);
        var log = logger.Collector.LatestRecord;
        Assert.Equal(3004, log.Id.Id);
        Assert.Contains("partitions lost orders/0", log.Message, StringComparison.Ordinal);
        held.Leave(wake);
    }

    [Fact]
    public void Callbacks_NullPartitions_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => _handler.OnAssigned(null!));
        Assert.Throws<ArgumentNullException>(() => _handler.OnRevoked(null!, _commits.Add));
        Assert.Throws<ArgumentNullException>(() => _handler.OnLost(null!));
    }

    public void Dispose()
    {
        _run.Dispose();
        _wakeup.Dispose();
    }
}
