using Delivery.Core;
using Delivery.Core.Options;
using Delivery.Core.Retry;
using Delivery.Core.Topology;
using Delivery.Worker.Health;
using Delivery.Worker.Kafka;
using Delivery.Worker.Pipeline.Controls;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The pipeline of one destination (DESIGN.md §2a, §5, §6): its own consumer group, producer, batcher, workers and
/// offset tracking, so a slow or failing destination never stalls another. This class only wires the stages and runs
/// start, drain and stop; docs/architecture.md shows who owns what and which thread runs it.
/// </summary>
internal sealed class DestinationPipeline : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _shutdownTimeout;
    private readonly IDestinationHandler _handler;
    private readonly TopicProvisioner _provisioner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PipelineRun _run = new();
    private readonly PipelineStatusCell _status = new();
    private readonly LoopWakeup _wakeup;
    private readonly PipelineStages _stages;
    private readonly ConsumeLoop _consumeLoop;
    private readonly DispatchWorkers _workers;
    private readonly OutcomeWriter _writer;
    private readonly LagSampler _lag;
    private readonly DeliveryControls _controls;
    private readonly LaneScheduler _lanes;
    private readonly int _concurrency;
    private Task? _loop;
    private Task? _lagTask;

    public DestinationPipeline(
        string name,
        DestinationOptions options,
        PipelineOptions tuning,
        TimeSpan shutdownTimeout,
        IDestinationHandler handler,
        ResiliencePipeline call,
        ResiliencePipeline<HandlerCall> hold,
        KafkaClientFactory clients,
        TopicProvisioner provisioner,
        DeliveryMetrics metrics,
        TimeProvider time,
        ILogger logger,
        Func<IConsumeLoopHeartbeat?>? liveness = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tuning);
        Name = name;
        Topology = DestinationTopology.For(name, options);
        _shutdownTimeout = shutdownTimeout;
        _handler = handler;
        _provisioner = provisioner;
        _time = time;
        _logger = logger;
        _concurrency = Math.Max(1, options.Batch.MaxConcurrent);
        _wakeup = new LoopWakeup(time);
        var order = options.Ordering == DeliveryOrdering.PerKey
            ? new KeyOrderStage(new KeyOrderGate(time), new KeyOrderInbox(_wakeup), new OrderedPartitionFlow(options.Batch.EffectiveMaxInFlightEvents, (state, waiting) => LogOrderPause(name, state, waiting, options.Batch.EffectiveMaxInFlightEvents)))
            : null;
        var work = new WorkTracker(name, metrics, time, _wakeup) { Resolved = order is null ? null : order.Inbox.Released };
        var registry = new PartitionRegistry();
        var commands = new PipelineCommands(_wakeup);
        var held = new HeldBatches();
        var slots = new BatchSlots(_concurrency - LaneScheduler.ReservedRetrySlots(_concurrency, options.Batch.RetryShare));
        var batches = new BatchQueue(options.Batch.EffectiveMaxInFlightEvents + options.Batch.MaxEvents, work, slots);
        var batcher = new Batcher(options.Batch, time, batches.Enqueue, slots);
        var commits = new CommitScheduler(name, tuning.CommitInterval, tuning.RevokeTimeout, registry, metrics, time, logger);
        _writer = new OutcomeWriter(name, options, Topology, tuning, clients, _run, work, metrics, time, logger);
        var policy = new RetryPolicy(options.Retry);
        _stages = new PipelineStages
        {
            Registry = registry,
            Decoder = new RecordDecoder(options.EventIdHeader, tuning.RetryPrefetch),
            Gate = new DueTimeGate(time, commands.Post),
            TierHead = new TierHeadStage(TierHeadRule.For(Topology, policy), _writer.RequeueAsync),
            Flow = new FlowController(options.Batch.EffectiveMaxInFlightEvents, tuning.BackpressureGrace, time),
            Batcher = batcher,
            Commits = commits,
            Rebalance = new RebalanceHandler(name, Topology, registry, commits, batcher, work, held, _run, tuning.RevokeTimeout, time, logger, order),
            Commands = commands,
            Work = work,
            Held = held,
            Batches = batches,
            Heartbeat = new LoopHeartbeat(time, liveness),
            Order = order,
        };
        _consumeLoop = new ConsumeLoop(name, Topology, shutdownTimeout, clients, _stages, _run, _status, metrics, time, logger);
        _controls = new DeliveryControls(options, time);
        _lanes = new LaneScheduler(batches.Reader, _concurrency, options.Batch.RetryShare);
        var invoker = new DeliveryInvoker(name, handler, call, hold, policy, tuning, _run, held, _controls, work, _status, metrics, time, logger);
        _workers = new DispatchWorkers(name, _lanes, invoker, _writer, commits, work, _run, tuning, slots, Topology.ConsumerGroup, metrics, time, logger, order?.Inbox);
        _lag = new LagSampler(name, Topology.ConsumerGroup, registry, clients, _run, time, logger);
    }

    private void LogOrderPause(string name, PartitionState state, long waiting, long limit)
    {
        if (state.OrderPaused)
        {
            KeyOrderLog.PartitionPaused(_logger, name, state.Partition.Topic, state.Partition.Partition.Value, waiting, limit);
        }
        else
        {
            KeyOrderLog.PartitionResumed(_logger, name, state.Partition.Topic, state.Partition.Partition.Value, waiting);
        }
    }

    /// <summary>The destination name.</summary>
    public string Name { get; }

    /// <summary>Its Kafka names.</summary>
    public DestinationTopology Topology { get; }

    /// <summary>A snapshot for /readyz and the CLI.</summary>
    public DestinationStatus Status() => new(Name, _status.State, _stages.Work.InFlight, _lag.Lag, _status.Detail, _stages.Heartbeat.Snapshot());

    /// <summary>The metric gauges.</summary>
    public DestinationGauges Gauges() => new(_stages.Work.InFlight, _lag.Lag, _stages.Work.Holding > 0, _controls.ConcurrencyLimit);

    /// <summary>
    /// A description of every assigned partition from the registry's published snapshot (the per-partition fields are
    /// the consume loop's, read without its cooperation, so possibly slightly stale): for diagnostics only.
    /// </summary>
    public string DescribePartitions()
    {
        var beat = _stages.Heartbeat.Snapshot();
        return string.Join("; ", _stages.Registry.Snapshot.Select(s =>
            $"{s.Partition.Topic}/{s.Partition.Partition.Value}: tracked<={s.LastTracked} pending={s.Tracker.Pending} paused={s.Paused} due-wait={s.WaitingForDue} seek={s.PendingSeek} started={s.Started} order-paused={s.OrderPaused}"))
            + $" | loop waiting={beat.Waiting} {beat.SinceLastBeat.TotalMilliseconds:F0} ms ago running={beat.Running}"
            + $" | in-flight={_stages.Work.InFlight} holding={_stages.Work.Holding} backpressure={_stages.Flow.Backpressure} parked={_stages.Order?.Gate.Parked} held-retries={_stages.Order?.Gate.HeldRetries} commit-stalled={_stages.Commits.Stalled} queued={_stages.Batches.Queued} lanes={_lanes.Queued.First}/{_lanes.Queued.Retry} concurrency-limit={_controls.ConcurrencyLimit}";
    }

    /// <summary>Creates the topics and clients and starts consuming.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _provisioner.EnsureAsync(Name, Topology.SourceTopics, [.. Topology.OwnedTopics], cancellationToken).ConfigureAwait(false);
        _writer.Start();
        _workers.Start(_concurrency);
        _loop = Task.Factory.StartNew(_consumeLoop.Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _lagTask = Task.Run(_lag.RunAsync, CancellationToken.None);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var topics = string.Join(",", Topology.SubscribedTopics);
            PipelineLog.Started(_logger, Name, Topology.ConsumerGroup, topics);
        }
    }

    /// <summary>Stops consuming, drains in-flight work within the shutdown timeout, commits and closes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _run.RequestStop();
        _stages.Commands.Post(new PipelineCommand.Stop());
        if (_loop is null)
        {
            return;
        }

        try
        {
            await _loop.WaitAsync(_shutdownTimeout + StopGrace, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            _run.Abort();
            await _loop.WaitAsync(StopGrace, _time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _run.Abort();
        if (_lagTask is not null)
        {
            await _lagTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _workers.StopAsync(StopGrace).ConfigureAwait(false);
        _writer.Close();
        if (_status.State != DestinationState.Faulted)
        {
            _status.State = DestinationState.Stopped;
        }

        PipelineLog.Stopped(_logger, Name, _stages.Work.InFlight);
    }

    public async ValueTask DisposeAsync()
    {
        _run.Abort();
        if (_lagTask is not null)
        {
            await _lagTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _writer.Close();
        _controls.Dispose();
        switch (_handler)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        if (_loop is null || _loop.IsCompleted)
        {
            _run.Dispose();
            _wakeup.Dispose();
            _lanes.Dispose();
        }
    }
}
