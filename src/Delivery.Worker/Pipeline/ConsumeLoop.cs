using Confluent.Kafka;
using Delivery.Core.Topology;
using Delivery.Worker.Kafka;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The consume loop of one destination, on a dedicated thread: the only code that calls its <see cref="IConsumer{TKey,TValue}"/>
/// (poll, pause/resume, seek, commit, and the assignment callbacks it serves). Each turn it beats the heartbeat,
/// applies the commands other threads posted, commits when due, retries pending seeks, applies the flow controller's
/// decision, and polls; each record goes through the due-time gate and the decoder into the batcher (a tier head
/// that would hold its partition past its tier's bound goes back to the tier's tail: <see cref="TierHeadStage"/>).
/// </summary>
internal sealed class ConsumeLoop(
    string destination,
    DestinationTopology topology,
    TimeSpan shutdownTimeout,
    KafkaClientFactory clients,
    PipelineStages stages,
    PipelineRun run,
    PipelineStatusCell status,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan WindowEvery = TimeSpan.FromMilliseconds(20);

    /// <summary>Most already-fetched records taken after a poll before the next full turn (see <see cref="TakeFetched"/>).</summary>
    internal const int BurstRecords = 256;

    private readonly PartitionRegistry _registry = stages.Registry;
    private readonly CommitScheduler _commits = stages.Commits;
    private readonly FlowController _flow = stages.Flow;
    private readonly Batcher _batcher = stages.Batcher;
    private readonly WorkTracker _work = stages.Work;
    private readonly KeyOrderStage? _order = stages.Order;
    private long _excluded;
    private int _pendingSeeks;
    private long _window;
    private readonly RetryLaneFlow _retryLane = new(stages.Flow.MaxInFlight, stages.Batcher.MaxEvents);
    private long _lastWindowCheck;
    private bool _pauseAll;
    private bool _flowDirty = true;
    private bool _wasHeld;
    private readonly ConsumedCounter _consumed = new(destination, metrics);

    /// <summary>Runs the loop until the drain ends; closes the consumer. Call on a dedicated thread.</summary>
    public void Run()
    {
        stages.Heartbeat.SetRunning(true);
        try
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(clients.ConsumerConfig(topology.ConsumerGroup, $"delivery-worker-{destination}"))
                .SetPartitionsAssignedHandler((_, partitions) => stages.Rebalance.OnAssigned(partitions))
                .SetPartitionsRevokedHandler((c, partitions) => stages.Rebalance.OnRevoked([.. partitions.Select(p => p.TopicPartition)], offsets => c.Commit(offsets)))
                .SetPartitionsLostHandler((_, partitions) => stages.Rebalance.OnLost([.. partitions.Select(p => p.TopicPartition)]))
                .SetLogHandler((_, message) => KafkaLogBridge.Log(logger, destination, message))
                .SetErrorHandler((_, error) =>
                {
                    if (error.IsFatal)
                    {
                        status.Detail = error.Reason;
                    }
                })
                .Build();
            consumer.Subscribe(topology.SubscribedTopics);
            status.State = DestinationState.Running;
            Loop(consumer);
            _consumed.Flush();
            _commits.Commit(offsets => consumer.Commit(offsets));
            consumer.Close();
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException or ObjectDisposedException)
        {
            status.State = DestinationState.Faulted;
            status.Detail = e.Message;
            PipelineLog.Faulted(logger, e, destination);
        }
        finally
        {
            stages.Batches.Complete();
            stages.Heartbeat.SetRunning(false);
        }
    }

    private void Loop(IConsumer<byte[], byte[]> consumer)
    {
        long drainStarted = 0;
        var drainBudget = DrainBudget(shutdownTimeout);
        Func<bool> atLimit = () => Math.Max(_work.InFlight - _excluded, _window) >= _flow.MaxInFlight && stages.Commands.IsEmpty && (_order?.Inbox.IsEmpty ?? true) && !run.StopRequested;
        while (true)
        {
            stages.Heartbeat.Beat(time.GetTimestamp());
            ApplyCommands();
            _order?.Apply(_batcher, _work, run.Draining);
            if (run.StopRequested && !run.Draining)
            {
                BeginDrain();
                drainStarted = time.GetTimestamp();
            }

            if (run.Draining)
            {
                if (_work.InFlight == 0)
                {
                    return;
                }

                if (time.GetElapsedTime(drainStarted) >= drainBudget || run.IsAborted)
                {
                    PipelineLog.DrainTimedOut(logger, destination, _work.InFlight);
                    run.Abort();
                    return;
                }
            }

            if (_commits.IsDue)
            {
                _consumed.Flush();
                _commits.Commit(offsets => consumer.Commit(offsets));
            }

            stages.Batches.Flush();
            _batcher.ReleaseDue();
            if (_pendingSeeks > 0)
            {
                foreach (var state in _registry.All)
                {
                    TrySeek(consumer, state);
                }
            }

            if (ApplyFlow(consumer) == FlowAction.Wait)
            {
                // At the in-flight limit: stop polling (the partitions keep fetching) and wait for work to complete.
                // The open batch leaves now only if a slot is free; while every slot is busy it waits to fill up.
                _consumed.Flush();
                _batcher.CutAtLimit();
                var budget = _flow.SoftWaitBudget();
                _work.Wakeup.Wait(_batcher.UntilNextDue() is { } next && next < budget ? next : budget, atLimit, run.Aborted);
                continue;
            }

            _batcher.CutIfDue();
            var timeout = _batcher.PollTimeout(_order?.PollTimeout(IdlePoll) ?? IdlePoll);

            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = consumer.Consume(timeout);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                PipelineLog.ConsumeError(logger, destination, e.ConsumerRecord?.Topic, e.ConsumerRecord?.Partition.Value, e.Error.Reason);
                continue;
            }

            if (result is null || result.IsPartitionEOF || run.Draining)
            {
                _consumed.Flush();
                continue;
            }

            var now = time.GetUtcNow();
            OnRecord(consumer, result, now);
            TakeFetched(consumer, now);
        }
    }

    /// <summary>
    /// Takes up to <see cref="BurstRecords"/> more records that librdkafka already fetched (a poll that does not wait)
    /// before the next full turn, so the turn's bookkeeping (heartbeat, commands, commit timing, the flow decision and
    /// its clock reads, MaxWait) is paid per burst rather than per record. Stops at the in-flight limit, on a stop
    /// request, a posted command or a pause-all, and when nothing more is fetched. Assignment callbacks are served by
    /// these polls as by any other.
    /// </summary>
    private void TakeFetched(IConsumer<byte[], byte[]> consumer, DateTimeOffset now)
    {
        for (var i = 0; i < BurstRecords; i++)
        {
            if (run.StopRequested || _pauseAll || !stages.Commands.IsEmpty || Math.Max(_work.InFlight, _window) >= _flow.MaxInFlight)
            {
                return;
            }

            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                PipelineLog.ConsumeError(logger, destination, e.ConsumerRecord?.Topic, e.ConsumerRecord?.Partition.Value, e.Error.Reason);
                return;
            }

            if (result is null || result.IsPartitionEOF)
            {
                return;
            }

            OnRecord(consumer, result, now); // one clock read per burst: a burst takes well under a millisecond
        }
    }

    /// <summary>The drain budget: the shutdown timeout less a margin (a tenth, at most 2 s) for the final commit and close.</summary>
    internal static TimeSpan DrainBudget(TimeSpan shutdownTimeout)
    {
        var margin = TimeSpan.FromSeconds(2) < shutdownTimeout / 10 ? TimeSpan.FromSeconds(2) : shutdownTimeout / 10;
        return shutdownTimeout - margin > TimeSpan.Zero ? shutdownTimeout - margin : TimeSpan.Zero;
    }

    private void ApplyCommands()
    {
        while (stages.Commands.TryTake(out var command))
        {
            if (command is PipelineCommand.DuePassed due && _registry.IsCurrent(due.Partition) && DueTimeGate.DuePassed(due.Partition, due.Generation))
            {
                _flowDirty = true;
            }

            // PipelineCommand.Stop only wakes the loop: the stop flag is on the run.
        }
    }

    private void BeginDrain()
    {
        run.BeginDrain();
        _flowDirty = true;
        _batcher.RemoveWhere(static _ => true, _work.Abandon);
        _order?.Drop(static _ => true, _work.Abandon);
        stages.Batches.Complete();
        stages.Held.WakeAll();
    }

    private void OnRecord(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> result, DateTimeOffset now)
    {
        if (!_registry.TryGet(result.Topic, result.Partition.Value, out var state))
        {
            return;
        }

        var offset = result.Offset.Value;
        switch (DueTimeGate.Admit(state, offset))
        {
            case Admission.Ignore:
                return;
            case Admission.SeekLost:
                var expected = state.ExpectedNext!.Value;
                PipelineLog.SeekLost(logger, destination, result.Topic, result.Partition.Value, expected, offset);
                var at = time.GetUtcNow();
                Defer(consumer, state, expected, at, at);
                return;
            case Admission.Rewind:
                PipelineLog.SkippedRewind(logger, destination, result.Topic, result.Partition.Value, offset);
                return;
        }

        var decoded = stages.Decoder.Decode(result, state.IsRetryTier, now);
        if (decoded.Kind == DecodedKind.NotYetDue)
        {
            var head = stages.TierHead.Decide(consumer, result, decoded.DueAt, now);
            if (head.Action == TierHeadAction.Requeue && state.TryStart())
            {
                Track(state, offset, result.Topic);
                stages.TierHead.Requeue(state, result, decoded.DueAt, head.Tier);
                return;
            }

            // Waiting for the record's own due time: resume early enough for it to be fetched by then (RetryPrefetch).
            Defer(consumer, state, offset, head.WakeAt == decoded.DueAt ? head.WakeAt - stages.Decoder.Prefetch : head.WakeAt, now);
            return;
        }

        if (decoded.Kind == DecodedKind.Malformed)
        {
            PipelineLog.Malformed(logger, destination, result.Topic, result.Partition.Value, offset, decoded.Problem!);
        }

        var record = new PendingRecord(state, offset, result.Message, decoded.Event!)
        {
            RedriveCount = decoded.RedriveCount,
            MalformedProblem = decoded.Problem,
            NotBefore = state.IsRetryTier && decoded.Kind == DecodedKind.Ready ? decoded.DueAt : null,
        };
        Track(state, offset, result.Topic);
        if (_order is null)
        {
            _batcher.Add(record);
        }
        else
        {
            _order.Add(record, _batcher);
        }
    }

    private void Track(PartitionState state, long offset, string topic)
    {
        _consumed.Count(topic);
        state.Tracker.Track(offset);
        if (state.FirstTracked < 0)
        {
            state.FirstTracked = offset;
        }

        state.LastTracked = offset;
        _work.Tracked(state.IsRetryTier);
    }

    private void Defer(IConsumer<byte[], byte[]> consumer, PartitionState state, long offset, DateTimeOffset due, DateTimeOffset now)
    {
        PipelineLog.WaitingForDue(logger, destination, state.Partition.Topic, state.Partition.Partition.Value, offset, due);
        if (state.PendingSeek is null)
        {
            _pendingSeeks++;
        }

        stages.Gate.Defer(state, offset, due, now);
        try
        {
            consumer.Pause([state.Partition]);
            state.Paused = true;
        }
        catch (KafkaException e)
        {
            PipelineLog.ConsumeError(logger, destination, state.Partition.Topic, state.Partition.Partition.Value, e.Error.Reason);
            _flowDirty = true;
        }

        TrySeek(consumer, state);
    }

    /// <summary>Seeks a partition back to its deferred record; retried every turn until it succeeds.</summary>
    private void TrySeek(IConsumer<byte[], byte[]> consumer, PartitionState state)
    {
        if (state.PendingSeek is not { } offset)
        {
            return;
        }

        try
        {
            consumer.Seek(new TopicPartitionOffset(state.Partition, offset));
            _pendingSeeks--;
            if (DueTimeGate.SeekDone(state))
            {
                _flowDirty = true;
            }
        }
        catch (KafkaException e)
        {
            PipelineLog.ConsumeError(logger, destination, state.Partition.Topic, state.Partition.Partition.Value, e.Error.Reason);
        }
    }

    private FlowAction ApplyFlow(IConsumer<byte[], byte[]> consumer)
    {
        if (stages.Rebalance.TakeChanged())
        {
            _flowDirty = true;
            _pendingSeeks = _registry.All.Count(static s => s.PendingSeek is not null);
        }

        if (time.GetElapsedTime(_lastWindowCheck) >= WindowEvery)
        {
            _lastWindowCheck = time.GetTimestamp();
            if (_order is null)
            {
                _window = _registry.Uncommittable();
            }
            else
            {
                var ordered = _order.Evaluate(_registry.All);
                (_window, _excluded) = (ordered.Window, ordered.ExcludedInFlight);
                _flowDirty |= ordered.Changed;
            }
        }

        if (_retryLane.Update(_work.InFlightRetry))
        {
            _flowDirty = true;
            PipelineLog.RetryLanePressure(logger, destination, _retryLane.Paused ? "paused" : "resumed", _work.InFlightRetry, _retryLane.Limit);
        }

        var held = _work.Holding > 0;
        if (held != _wasHeld)
        {
            _wasHeld = held;
            if (!held)
            {
                status.Detail = null;
                PipelineLog.Recovered(logger, destination);
            }

            if (status.State is DestinationState.Running or DestinationState.Held)
            {
                status.State = held ? DestinationState.Held : DestinationState.Running;
            }
        }

        var decision = _flow.Decide(new FlowInput(Math.Max(0, _work.InFlight - _excluded), _window, held, run.Draining, _commits.Rebalancing, _commits.Stalled));
        if (decision.Transition is { } transition)
        {
            PipelineLog.Backpressure(logger, destination, transition, decision.Pressure);
        }

        stages.Heartbeat.SetWaiting(decision.Waiting);
        var pauseAll = decision.Action == FlowAction.PauseAll;
        if (pauseAll == _pauseAll && !_flowDirty)
        {
            return decision.Action;
        }

        _pauseAll = pauseAll;
        _flowDirty = false;
        var pause = new List<TopicPartition>();
        var resume = new List<TopicPartition>();
        foreach (var state in _registry.All)
        {
            var want = pauseAll || state.WaitingForDue || state.OrderPaused || (state.IsRetryTier && _retryLane.Paused);
            if (state.Paused != want)
            {
                (want ? pause : resume).Add(state.Partition);
                state.Paused = want;
            }
        }

        try
        {
            if (pause.Count > 0)
            {
                consumer.Pause(pause);
            }

            if (resume.Count > 0)
            {
                consumer.Resume(resume);
            }
        }
        catch (KafkaException e)
        {
            PipelineLog.ConsumeError(logger, destination, null, null, e.Error.Reason);
            _flowDirty = true;
        }

        return decision.Action;
    }
}
