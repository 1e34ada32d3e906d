using Confluent.Kafka;
using Delivery.Core.Options;
using Delivery.Core.Topology;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

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

    public void Dispose()
    {
        _run.Dispose();
        _wakeup.Dispose();
    }
}
