using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Confluent.Kafka;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Offsets;
using Delivery.Core.Options;
using Delivery.Core.Outcomes;
using Delivery.Core.Retry;
using Delivery.Worker.Kafka;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The pipeline of one destination (DESIGN.md §5, §6): its own consumer group, producer, batcher, workers and offset
/// tracker, so a slow or failing destination never stalls another. One dedicated thread owns the consumer (consume,
/// batch, pause/seek/resume, commit, rebalance); up to MaxConcurrent workers deliver batches and resolve records.
/// </summary>
internal sealed class DestinationPipeline : IAsyncDisposable
{
    private static readonly ActivitySource Source = new(DeliveryMetrics.ActivitySourceName);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(50);
    private const int MaxLinks = 128;
    private const int ConsumedFlushEvery = 256;

    private readonly string _name;
    private readonly DestinationOptions _options;
    private readonly PipelineOptions _tuning;
    private readonly TimeSpan _shutdownTimeout;
    private readonly IDestinationHandler _handler;
    private readonly KafkaClientFactory _clients;
    private readonly TopicProvisioner _provisioner;
    private readonly DeliveryMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RetryPolicy _policy;
    private readonly ResiliencePipeline _resilience;
    private readonly string _group;
    private readonly string _deadLetterTopic;
    private readonly string[] _tierTopics;
    private readonly string[] _sourceTopics;
    private readonly HashSet<string> _tierTopicSet;
    private readonly OffsetTracker<TopicPartition> _offsets = new();
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TopicPartition, PartitionState> _assigned = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> _control = new();
    private readonly Channel<WorkBatch> _batches = Channel.CreateUnbounded<WorkBatch>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _abort = new();
    private readonly object _signal = new();
    private readonly Lock _producerGate = new();

    private List<PendingRecord> _buffer = [];
    private long _bufferBytes;
    private long _bufferStart;
    private IProducer<byte[], byte[]>? _producer;
    private IConsumer<byte[], byte[]>? _consumer;
    private Task? _loop;
    private Task? _lagLoop;
    private Task[] _workers = [];
    private CancellationTokenSource _revokeSignal = new();
    private volatile bool _stopRequested;
    private volatile bool _draining;
    private volatile DestinationState _state = DestinationState.Starting;
    private volatile string? _detail;
    private long _inFlight;
    private long _lag;
    private int _holding;
    private bool _backpressure;
    private bool _rebalancing;
    private volatile bool _commitStalled;
    private long _commitStartedAt;
    private long _lastWindowCheck;
    private long _window;
    private long _commitFailingSince;
    private int _pendingSeeks;
    private long _loopTick;
    private volatile string _loopPhase = "starting";
    private long _rebalancingSince;
    private bool _pauseAll;
    private bool _flowDirty = true;
    private bool _wasHeld;
    private string? _consumedTopic;
    private bool _atLimit;
    private long _atLimitSince;
    private bool _softWait;
    private int _signalWaiters;
    private long _consumedCount;

    public DestinationPipeline(
        string name,
        DestinationOptions options,
        PipelineOptions tuning,
        TimeSpan shutdownTimeout,
        IDestinationHandler handler,
        KafkaClientFactory clients,
        TopicProvisioner provisioner,
        DeliveryMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        _name = name;
        _options = options;
        _tuning = tuning;
        _shutdownTimeout = shutdownTimeout;
        _handler = handler;
        _clients = clients;
        _provisioner = provisioner;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _policy = new RetryPolicy(options.Retry);
        _group = options.EffectiveConsumerGroup(name);
        _deadLetterTopic = options.EffectiveDeadLetterTopic(name);
        var prefix = options.EffectiveRetryTopicPrefix(name);
        _tierTopics = Enumerable.Range(1, _policy.TierDelays.Count).Select(t => $"{prefix}.{t}").ToArray();
        _tierTopicSet = new HashSet<string>(_tierTopics, StringComparer.Ordinal);
        _sourceTopics = options.SourceTopics.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToArray();
        _resilience = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(static e => e is TimeoutRejectedException || OutcomeResolver.TryGetHold(e, out _, out _)),
                FailureRatio = Math.Clamp(tuning.CircuitFailureRatio, 0.01, 1.0),
                MinimumThroughput = Math.Max(2, tuning.CircuitMinimumThroughput),
                SamplingDuration = Max(tuning.CircuitSamplingDuration, TimeSpan.FromSeconds(1)),
                BreakDuration = Max(tuning.CircuitBreakDuration, TimeSpan.FromMilliseconds(500)),
            })
            .AddTimeout(Max(tuning.HandlerTimeout, TimeSpan.FromMilliseconds(10)))
            .Build();
    }

    /// <summary>The destination name.</summary>
    public string Name => _name;

    /// <summary>Retry tier topics, tier 1 first.</summary>
    public IReadOnlyList<string> TierTopics => _tierTopics;

    /// <summary>The dead-letter topic.</summary>
    public string DeadLetterTopic => _deadLetterTopic;

    /// <summary>The consumer group.</summary>
    public string ConsumerGroup => _group;

    /// <summary>A snapshot for /readyz and the CLI.</summary>
    public DestinationStatus Status() => new(_name, _state, Interlocked.Read(ref _inFlight), Interlocked.Read(ref _lag), _detail);

    /// <summary>The metric gauges.</summary>
    public DestinationGauges Gauges() => new(Interlocked.Read(ref _inFlight), Interlocked.Read(ref _lag), Volatile.Read(ref _holding) > 0);

    /// <summary>
    /// A best-effort description of every assigned partition (read without the consumer thread's cooperation, so
    /// possibly slightly stale): for diagnostics in tests and debug logs only.
    /// </summary>
    public string DescribePartitions()
    {
        PartitionState[] states;
        try
        {
            states = [.. _partitions.Values];
        }
        catch (InvalidOperationException)
        {
            states = [];
        }

        return string.Join("; ", states.Select(s =>
            $"{s.Partition.Topic}/{s.Partition.Partition.Value}: tracked<={s.LastTracked} pending={s.Tracker.Pending} paused={s.Paused} due-wait={s.WaitingForDue} seek={s.PendingSeek} started={s.Started}"))
            + $" | loop={_loopPhase} {_time.GetElapsedTime(Interlocked.Read(ref _loopTick)).TotalMilliseconds:F0} ms ago"
            + $" | in-flight={Interlocked.Read(ref _inFlight)} holding={Volatile.Read(ref _holding)} backpressure={_backpressure} rebalancing={_rebalancing} commit-stalled={_commitStalled} pause-all={_pauseAll} soft-wait={_softWait} buffer={_buffer.Count} queued={_batches.Reader.Count}";
    }

    /// <summary>Creates the topics and clients and starts consuming.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _provisioner.EnsureAsync(_name, _sourceTopics, [.. _tierTopics, _deadLetterTopic], cancellationToken);
        _producer = BuildProducer();
        _workers = Enumerable.Range(0, Math.Max(1, _options.Batch.MaxConcurrent)).Select(_ => Task.Run(WorkerLoopAsync, CancellationToken.None)).ToArray();
        _loop = Task.Factory.StartNew(ConsumeLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _lagLoop = Task.Run(LagLoopAsync, CancellationToken.None);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var topics = string.Join(",", _sourceTopics.Concat(_tierTopics));
            PipelineLog.Started(_logger, _name, _group, topics);
        }
    }

    /// <summary>Stops consuming, drains in-flight work within the shutdown timeout, commits and closes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopRequested = true;
        if (_loop is null)
        {
            return;
        }

        try
        {
            await _loop.WaitAsync(_shutdownTimeout + TimeSpan.FromSeconds(5), _time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            await _abort.CancelAsync();
            await _loop.WaitAsync(TimeSpan.FromSeconds(5), _time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _abort.CancelAsync();
        if (_lagLoop is not null)
        {
            await _lagLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await Task.WhenAll(_workers).WaitAsync(TimeSpan.FromSeconds(5), _time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        IProducer<byte[], byte[]>? producer;
        lock (_producerGate)
        {
            producer = _producer;
            _producer = null;
        }

        producer?.Flush(TimeSpan.FromSeconds(2));
        producer?.Dispose();
        if (_state != DestinationState.Faulted)
        {
            _state = DestinationState.Stopped;
        }

        var left = Interlocked.Read(ref _inFlight);
        PipelineLog.Stopped(_logger, _name, left);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_abort.IsCancellationRequested)
        {
            await _abort.CancelAsync();
        }

        if (_lagLoop is not null)
        {
            await _lagLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        lock (_producerGate)
        {
            _producer?.Dispose();
            _producer = null;
        }

        _abort.Dispose();
        _revokeSignal.Dispose();
        switch (_handler)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    // ---------------------------------------------------------------- consume loop (dedicated thread)

    private void ConsumeLoop()
    {
        try
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(_clients.ConsumerConfig(_group, $"delivery-worker-{_name}"))
                .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
                .SetPartitionsRevokedHandler((c, partitions) => OnRevoked(c, partitions.Select(p => p.TopicPartition).ToList()))
                .SetPartitionsLostHandler((_, partitions) => OnLost(partitions.Select(p => p.TopicPartition).ToList()))
                .SetLogHandler((_, message) => OnKafkaLog(message))
                .SetErrorHandler((_, error) =>
                {
                    if (error.IsFatal)
                    {
                        _detail = error.Reason;
                    }
                })
                .Build();
            _consumer = consumer;
            consumer.Subscribe(_sourceTopics.Concat(_tierTopics));
            _state = DestinationState.Running;
            RunLoop(consumer);
            FlushConsumed();
            Commit(consumer);
            consumer.Close();
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException or ObjectDisposedException)
        {
            _state = DestinationState.Faulted;
            _detail = e.Message;
            PipelineLog.Faulted(_logger, e, _name);
        }
        finally
        {
            _consumer = null;
            _batches.Writer.TryComplete();
        }
    }

    private void RunLoop(IConsumer<byte[], byte[]> consumer)
    {
        var lastCommit = _time.GetTimestamp();
        long drainDeadline = 0;
        while (true)
        {
            Interlocked.Exchange(ref _loopTick, _time.GetTimestamp());
            _loopPhase = "control";
            while (_control.TryDequeue(out var action))
            {
                action();
            }

            if (_stopRequested && !_draining)
            {
                BeginDrain();
                drainDeadline = _time.GetTimestamp() + (long)(DrainBudget().TotalSeconds * _time.TimestampFrequency);
            }

            if (_draining)
            {
                if (Interlocked.Read(ref _inFlight) == 0)
                {
                    return;
                }

                if (_time.GetTimestamp() >= drainDeadline || _abort.IsCancellationRequested)
                {
                    PipelineLog.DrainTimedOut(_logger, _name, Interlocked.Read(ref _inFlight));
                    _abort.Cancel();
                    return;
                }
            }

            if (_time.GetElapsedTime(lastCommit) >= _tuning.CommitInterval)
            {
                _loopPhase = "commit";
                FlushConsumed();
                Commit(consumer);
                lastCommit = _time.GetTimestamp();
            }

            if (_pendingSeeks > 0)
            {
                foreach (var state in _partitions.Values)
                {
                    TrySeek(consumer, state);
                }
            }

            UpdateFlowControl(consumer);
            if (_softWait)
            {
                // At the in-flight limit: stop polling (the partitions keep fetching) and wait for work to complete.
                _loopPhase = "backpressure";
                FlushConsumed();
                CutBatch();
                WaitForCapacity();
                continue;
            }

            var timeout = IdlePoll;
            if (_buffer.Count > 0)
            {
                var remaining = _options.Batch.MaxWait - _time.GetElapsedTime(_bufferStart);
                if (remaining <= TimeSpan.Zero)
                {
                    CutBatch();
                }
                else
                {
                    timeout = Min(timeout, remaining);
                }
            }

            ConsumeResult<byte[], byte[]>? result;
            try
            {
                _loopPhase = "consume";
                result = consumer.Consume(timeout);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                PipelineLog.ConsumeError(_logger, _name, e.ConsumerRecord?.Topic, e.ConsumerRecord?.Partition.Value, e.Error.Reason);
                continue;
            }

            if (result is null || result.IsPartitionEOF || _draining)
            {
                FlushConsumed();
                continue;
            }

            _loopPhase = "record";
            OnRecord(consumer, result);
        }
    }

    private TimeSpan DrainBudget()
    {
        var margin = Min(TimeSpan.FromSeconds(2), _shutdownTimeout / 10);
        return Max(_shutdownTimeout - margin, TimeSpan.Zero);
    }

    private void BeginDrain()
    {
        _draining = true;
        _flowDirty = true;
        AbandonBuffered(static _ => true);
        _batches.Writer.TryComplete();
        WakeHeldBatches();
    }

    private void OnRecord(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> result)
    {
        if (!_partitions.TryGetValue(result.TopicPartition, out var state) || state.WaitingForDue)
        {
            return;
        }

        var offset = result.Offset.Value;
        if (state.ExpectedNext is { } expected)
        {
            if (offset > expected && state.LostSeeks++ < 5)
            {
                // The seek back to a not-yet-due record did not take effect: never skip it, seek again.
                PipelineLog.SeekLost(_logger, _name, result.Topic, result.Partition.Value, expected, offset);
                WaitUntilDue(consumer, state, expected, _time.GetUtcNow(), _time.GetUtcNow());
                return;
            }

            state.ExpectedNext = null;
            state.LostSeeks = 0;
        }

        if (offset <= state.LastTracked)
        {
            PipelineLog.SkippedRewind(_logger, _name, result.Topic, result.Partition.Value, offset);
            return;
        }

        var message = result.Message;
        var now = _time.GetUtcNow();
        PendingRecord record;
        if (state.IsRetryTier)
        {
            if (!DeliveryHeaderCodec.TryDecode(message.Headers, out var headers, out var problem) || (problem = CheckRetryHeaders(headers)) is not null)
            {
                problem ??= "the delivery headers are missing";
                PipelineLog.Malformed(_logger, _name, result.Topic, result.Partition.Value, offset, problem);
                record = Malformed(state, result, problem, now);
            }
            else if (headers.NotBefore is { } due && due > now)
            {
                WaitUntilDue(consumer, state, offset, due, now);
                return;
            }
            else
            {
                var scanned = SourceRecordHeaders.Read(message.Headers, null);
                var evt = new DeliveryEvent
                {
                    EventId = headers.EventId,
                    Key = message.Key,
                    Value = message.Value ?? [],
                    Headers = scanned.EventHeaders,
                    Attempt = headers.Attempt + 1,
                    FirstAttemptAt = headers.FirstAttemptAt,
                    Origin = headers.Origin,
                    TraceParent = Utf8(scanned.TraceParent),
                };
                record = new PendingRecord(state, offset, message, evt) { RedriveCount = headers.RedriveCount };
            }
        }
        else
        {
            // One pass over the headers (event id, redrive count, traceparent, the headers kept for the destination).
            var scanned = SourceRecordHeaders.Read(message.Headers, _options.EventIdHeader);
            var eventId = NonEmpty(Utf8(scanned.CustomEventId))
                ?? NonEmpty(Utf8(scanned.DeliveryEventId))
                ?? $"{result.Topic}/{result.Partition.Value}/{offset}";
            var redrives = scanned.RedriveCount is { } redriveBytes
                && int.TryParse(Encoding.UTF8.GetString(redriveBytes), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
            var evt = new DeliveryEvent
            {
                EventId = eventId,
                Key = message.Key,
                Value = message.Value ?? [],
                Headers = scanned.EventHeaders,
                Attempt = 1,
                FirstAttemptAt = now,
                Origin = new EventOrigin(result.Topic, result.Partition.Value, offset, message.Timestamp.UtcDateTime),
                TraceParent = Utf8(scanned.TraceParent),
            };
            record = new PendingRecord(state, offset, message, evt) { RedriveCount = redrives };
        }

        CountConsumed(result.Topic);
        state.Tracker.Track(offset);
        if (state.FirstTracked < 0)
        {
            state.FirstTracked = offset;
        }

        state.LastTracked = offset;
        Interlocked.Increment(ref _inFlight);
        var size = record.Event.SizeInBytes;
        if (_buffer.Count > 0 && _bufferBytes + size > _options.Batch.MaxBytes)
        {
            CutBatch();
        }

        if (_buffer.Count == 0)
        {
            _bufferStart = _time.GetTimestamp();
        }

        _buffer.Add(record);
        _bufferBytes += size;
        if (_buffer.Count >= _options.Batch.MaxEvents || _bufferBytes >= _options.Batch.MaxBytes)
        {
            CutBatch();
        }
    }

    /// <summary>
    /// Counts a consumed record. The counter is added to once per run of records from the same topic (flushed when the
    /// topic changes, every <see cref="ConsumedFlushEvery"/> records, when a poll returns nothing and before each
    /// commit), not once per record: same totals and tags, a fraction of the cost.
    /// </summary>
    private void CountConsumed(string topic)
    {
        if (_consumedCount > 0 && !string.Equals(_consumedTopic, topic, StringComparison.Ordinal))
        {
            FlushConsumed();
        }

        _consumedTopic = topic;
        if (++_consumedCount >= ConsumedFlushEvery)
        {
            FlushConsumed();
        }
    }

    private void FlushConsumed()
    {
        if (_consumedCount > 0 && _consumedTopic is not null)
        {
            _metrics.Consumed(_name, _consumedTopic, _consumedCount);
        }

        _consumedCount = 0;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Utf8(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    private static string? CheckRetryHeaders(DeliveryRecordHeaders headers)
    {
        if (headers.Attempt < 1)
        {
            return $"{DeliveryHeaders.Attempt}: must be at least 1";
        }

        return headers.NotBefore is null ? $"{DeliveryHeaders.NotBefore}: is missing" : null;
    }

    private static PendingRecord Malformed(PartitionState state, ConsumeResult<byte[], byte[]> result, string problem, DateTimeOffset now)
    {
        var message = result.Message;
        var scanned = SourceRecordHeaders.Read(message.Headers, null);
        var eventId = NonEmpty(Utf8(scanned.DeliveryEventId)) ?? $"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}";
        var attempt = int.TryParse(DeliveryHeaderCodec.GetString(message.Headers, DeliveryHeaders.Attempt), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var evt = new DeliveryEvent
        {
            EventId = eventId,
            Key = message.Key,
            Value = message.Value ?? [],
            Headers = scanned.EventHeaders,
            Attempt = attempt,
            FirstAttemptAt = now,
            Origin = new EventOrigin(result.Topic, result.Partition.Value, result.Offset.Value, message.Timestamp.UtcDateTime),
        };
        return new PendingRecord(state, result.Offset.Value, message, evt) { MalformedProblem = problem };
    }

    private void WaitUntilDue(IConsumer<byte[], byte[]> consumer, PartitionState state, long offset, DateTimeOffset due, DateTimeOffset now)
    {
        PipelineLog.WaitingForDue(_logger, _name, state.Partition.Topic, state.Partition.Partition.Value, offset, due);
        state.WaitingForDue = true;
        state.ExpectedNext = offset;
        if (state.PendingSeek is null)
        {
            _pendingSeeks++;
        }

        state.PendingSeek = offset;
        try
        {
            consumer.Pause([state.Partition]);
            state.Paused = true;
        }
        catch (KafkaException e)
        {
            PipelineLog.ConsumeError(_logger, _name, state.Partition.Topic, state.Partition.Partition.Value, e.Error.Reason);
            _flowDirty = true;
        }

        TrySeek(consumer, state);
        state.DueTimer?.Dispose();
        state.DueTimer = _time.CreateTimer(
            _ => _control.Enqueue(() =>
            {
                if (_partitions.TryGetValue(state.Partition, out var current) && ReferenceEquals(current, state))
                {
                    // Resume only once the seek back to the record took effect; otherwise it would be skipped.
                    if (state.PendingSeek is null)
                    {
                        state.WaitingForDue = false;
                        _flowDirty = true;
                    }
                    else
                    {
                        state.DueElapsed = true;
                    }
                }
            }),
            null,
            Max(due - now, TimeSpan.Zero),
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Seeks a partition back to the not-yet-due record; retried from the loop until it succeeds.</summary>
    private void TrySeek(IConsumer<byte[], byte[]> consumer, PartitionState state)
    {
        if (state.PendingSeek is not { } offset)
        {
            return;
        }

        try
        {
            consumer.Seek(new TopicPartitionOffset(state.Partition, offset));
            state.PendingSeek = null;
            _pendingSeeks--;
            if (state.DueElapsed)
            {
                state.DueElapsed = false;
                state.WaitingForDue = false;
                _flowDirty = true;
            }
        }
        catch (KafkaException e)
        {
            PipelineLog.ConsumeError(_logger, _name, state.Partition.Topic, state.Partition.Partition.Value, e.Error.Reason);
        }
    }

    private void CutBatch()
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        var batch = new WorkBatch(_buffer, _time.GetTimestamp());
        _buffer = [];
        _bufferBytes = 0;
        if (!_batches.Writer.TryWrite(batch))
        {
            foreach (var record in batch.Records)
            {
                Abandon(record);
            }
        }
    }

    private void AbandonBuffered(Func<PendingRecord, bool> predicate)
    {
        var keep = new List<PendingRecord>(_buffer.Count);
        long bytes = 0;
        foreach (var record in _buffer)
        {
            if (predicate(record))
            {
                Abandon(record);
            }
            else
            {
                keep.Add(record);
                bytes += record.Event.SizeInBytes;
            }
        }

        _buffer = keep;
        _bufferBytes = bytes;
    }

    private void UpdateFlowControl(IConsumer<byte[], byte[]> consumer)
    {
        // Pressure counts unresolved events and resolved ones stuck behind them (not yet committable): both are what
        // a lost partition redelivers, and both occupy the offset trackers.
        var inFlight = Interlocked.Read(ref _inFlight);
        if (_time.GetElapsedTime(_lastWindowCheck) >= TimeSpan.FromMilliseconds(20))
        {
            _lastWindowCheck = _time.GetTimestamp();
            long window = 0;
            foreach (var state in _partitions.Values)
            {
                window += state.Uncommittable;
            }

            _window = window;
        }

        inFlight = Math.Max(inFlight, _window);

        // At the limit the loop first only stops polling (soft: the partitions keep fetching, so consumption goes on
        // at once when work completes); if nothing completes within BackpressureGrace, every partition is paused
        // (DESIGN §6) until the count is below half.
        var soft = false;
        if (!_backpressure && inFlight >= _options.Batch.MaxInFlightEvents)
        {
            if (!_atLimit)
            {
                _atLimit = true;
                _atLimitSince = _time.GetTimestamp();
            }

            if (_time.GetElapsedTime(_atLimitSince) >= _tuning.BackpressureGrace)
            {
                _atLimit = false;
                _backpressure = true;
                PipelineLog.Backpressure(_logger, _name, "on", inFlight);
            }
            else
            {
                soft = true;
            }
        }
        else
        {
            _atLimit = false;
            if (_backpressure && inFlight < _options.Batch.MaxInFlightEvents / 2)
            {
                _backpressure = false;
                PipelineLog.Backpressure(_logger, _name, "off", inFlight);
            }
        }

        var held = Volatile.Read(ref _holding) > 0;
        if (held != _wasHeld)
        {
            _wasHeld = held;
            if (!held)
            {
                _detail = null;
                PipelineLog.Recovered(_logger, _name);
            }

            if (_state is DestinationState.Running or DestinationState.Held)
            {
                _state = held ? DestinationState.Held : DestinationState.Running;
            }
        }

        if (_rebalancing && _time.GetElapsedTime(_rebalancingSince) > _tuning.RevokeTimeout)
        {
            // The rebalance never reached this consumer: resume rather than stay paused.
            _rebalancing = false;
        }

        var pauseAll = _backpressure || held || _draining || _rebalancing || _commitStalled;

        // Already paused: polling is harmless and serves rebalance callbacks.
        _softWait = soft && !pauseAll;
        if (pauseAll == _pauseAll && !_flowDirty)
        {
            return;
        }

        _pauseAll = pauseAll;
        _flowDirty = false;
        var pause = new List<TopicPartition>();
        var resume = new List<TopicPartition>();
        foreach (var state in _partitions.Values)
        {
            var want = pauseAll || state.WaitingForDue;
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
            PipelineLog.ConsumeError(_logger, _name, null, null, e.Error.Reason);
            _flowDirty = true;
        }
    }

    /// <summary>
    /// Waits (a bounded slice, measured against BackpressureGrace with the TimeProvider) until a record is released —
    /// the signal — or a control action is queued or the pipeline stops.
    /// </summary>
    private void WaitForCapacity()
    {
        var remaining = _tuning.BackpressureGrace - _time.GetElapsedTime(_atLimitSince);
        var slice = Min(Max(remaining, TimeSpan.FromMilliseconds(1)), TimeSpan.FromMilliseconds(20));
        Interlocked.Increment(ref _signalWaiters);
        try
        {
            lock (_signal)
            {
                if (Math.Max(Interlocked.Read(ref _inFlight), _window) >= _options.Batch.MaxInFlightEvents && _control.IsEmpty && !_stopRequested)
                {
                    Monitor.Wait(_signal, slice);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _signalWaiters);
        }
    }

    /// <summary>
    /// Every 2 s: lag = high watermark (asked from the broker, since paused partitions are not fetched and their
    /// cached watermark goes stale) minus the next offset to consume, summed over assigned partitions. Runs off the
    /// consumer thread so a slow broker never stalls consumption.
    /// </summary>
    private async Task LagLoopAsync()
    {
        while (!_abort.IsCancellationRequested && _state is not DestinationState.Stopped)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), _time, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var consumer = _consumer;
            if (consumer is null)
            {
                continue;
            }

            long lag = 0;
            foreach (var state in _assigned.Values)
            {
                try
                {
                    var high = consumer.QueryWatermarkOffsets(state.Partition, TimeSpan.FromSeconds(1)).High.Value;
                    var position = consumer.Position(state.Partition).Value;
                    var next = Math.Max(state.LastTracked + 1, position);
                    if (high >= 0 && next >= 0 && (position >= 0 || state.LastTracked >= 0))
                    {
                        lag += Math.Max(0, high - next);
                    }
                }
                catch (Exception e) when (e is KafkaException or ObjectDisposedException or InvalidOperationException)
                {
                    // Unknown for now: left out of this reading.
                }
            }

            Interlocked.Exchange(ref _lag, lag);
        }
    }

    private void Commit(IConsumer<byte[], byte[]> consumer)
    {
        var committable = _offsets.CollectCommittable();
        if (committable.Count == 0)
        {
            NoteCommitOutcome(success: true);
            return;
        }

        Interlocked.Exchange(ref _commitStartedAt, _time.GetTimestamp());
        try
        {
            consumer.Commit(committable.Select(c => new TopicPartitionOffset(c.Key, c.Value)));
            foreach (var (partition, offset) in committable)
            {
                _offsets.For(partition).MarkCommitted(offset);
                if (_partitions.TryGetValue(partition, out var state))
                {
                    state.Committed = offset;
                }
            }

            NoteCommitOutcome(success: true);
            return;
        }
        catch (TopicPartitionOffsetException e)
        {
            NoteRebalance(e.Error.Code);
            foreach (var code in e.Results.Select(r => r.Error.Code))
            {
                NoteRebalance(code);
            }

            foreach (var result in e.Results.Where(r => !r.Error.IsError))
            {
                if (_partitions.TryGetValue(result.TopicPartition, out var state))
                {
                    _offsets.For(result.TopicPartition).MarkCommitted(result.Offset.Value);
                    state.Committed = result.Offset.Value;
                }
            }

            PipelineLog.CommitFailed(_logger, _name, e.Error.Reason);
        }
        catch (KafkaException e)
        {
            NoteRebalance(e.Error.Code);
            PipelineLog.CommitFailed(_logger, _name, e.Error.Reason);
        }

        NoteCommitOutcome(success: false);
    }

    /// <summary>
    /// Resolved work that cannot be committed is redelivered if the partitions move (lost session, crash). When
    /// commits keep failing for three commit intervals, stop feeding new batches until one succeeds, which bounds
    /// that redelivery.
    /// </summary>
    private void NoteCommitOutcome(bool success)
    {
        Interlocked.Exchange(ref _commitStartedAt, 0);
        if (success)
        {
            _commitFailingSince = 0;
            if (_commitStalled)
            {
                _commitStalled = false;
                _flowDirty = true;
            }

            return;
        }

        if (_commitFailingSince == 0)
        {
            _commitFailingSince = _time.GetTimestamp();
        }
        else if (!_commitStalled && _time.GetElapsedTime(_commitFailingSince) >= _tuning.CommitInterval * 3)
        {
            _commitStalled = true;
            _flowDirty = true;
        }
    }

    /// <summary>
    /// A commit refused because the group is rebalancing: stop feeding new batches until the rebalance reaches this
    /// consumer (revoke/assign), so the work done meanwhile — which cannot be committed — stays small.
    /// </summary>
    private void NoteRebalance(ErrorCode code)
    {
        if (code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId && !_rebalancing)
        {
            _rebalancing = true;
            _rebalancingSince = _time.GetTimestamp();
            _flowDirty = true;
        }
    }

    private void OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            var state = new PartitionState(partition, _offsets.For(partition), _tierTopicSet.Contains(partition.Topic));
            _partitions[partition] = state;
            _assigned[partition] = state;
        }

        _flowDirty = true;
        _rebalancing = false;
        _commitStalled = false;
        _commitFailingSince = 0;
        _pendingSeeks = _partitions.Values.Count(p => p.PendingSeek is not null);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var described = Describe(partitions);
            PipelineLog.Assigned(_logger, _name, described);
        }
    }

    private void OnRevoked(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        var states = partitions.Select(p => _partitions.GetValueOrDefault(p)).OfType<PartitionState>().ToList();
        foreach (var state in states)
        {
            state.Revoke();
        }

        AbandonBuffered(r => r.Partition.IsRevoked);
        WakeHeldBatches();

        var deadline = _time.GetTimestamp() + (long)(_tuning.RevokeTimeout.TotalSeconds * _time.TimestampFrequency);
        Interlocked.Increment(ref _signalWaiters);
        try
        {
            lock (_signal)
            {
                while (states.Any(s => s.Started > 0) && _time.GetTimestamp() < deadline)
                {
                    Monitor.Wait(_signal, IdlePoll);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _signalWaiters);
        }

        var stuck = states.Sum(s => s.Started);
        if (stuck > 0)
        {
            PipelineLog.RevokeTimedOut(_logger, _name, stuck);
        }

        var commit = new List<TopicPartitionOffset>();
        foreach (var state in states)
        {
            if (_offsets.Revoke(state.Partition) is { } offset)
            {
                commit.Add(new TopicPartitionOffset(state.Partition, offset));
            }

            _partitions.Remove(state.Partition);
            _assigned.TryRemove(state.Partition, out _);
            state.MarkReleased();
        }

        _pendingSeeks = _partitions.Values.Count(p => p.PendingSeek is not null);

        if (commit.Count > 0)
        {
            try
            {
                consumer.Commit(commit);
            }
            catch (KafkaException e)
            {
                PipelineLog.CommitFailed(_logger, _name, e.Error.Reason);
            }
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var described = Describe(partitions);
            var committed = string.Join(",", commit.Select(c => $"{c.Topic}/{c.Partition.Value}@{c.Offset.Value}"));
            PipelineLog.Revoked(_logger, _name, described, committed);
        }
    }

    private void OnLost(IReadOnlyList<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _assigned.TryRemove(partition, out _);
            if (_partitions.Remove(partition, out var state))
            {
                state.Revoke();
                state.MarkReleased();
            }

            _offsets.Lose(partition);
        }

        _pendingSeeks = _partitions.Values.Count(p => p.PendingSeek is not null);

        AbandonBuffered(r => r.Partition.IsRevoked);
        WakeHeldBatches();
        PipelineLog.Lost(_logger, _name, Describe(partitions));
    }

    /// <summary>Ends the back-off of held batches so they notice a revoke or shutdown.</summary>
    private void WakeHeldBatches()
    {
        // Not disposed: a worker may be linking to it right now (it owns no timer, so nothing leaks).
        Interlocked.Exchange(ref _revokeSignal, new CancellationTokenSource()).Cancel();
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) => string.Join(",", partitions.Select(p => $"{p.Topic}/{p.Partition.Value}"));

    // ---------------------------------------------------------------- workers

    private async Task WorkerLoopAsync()
    {
        while (await _batches.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (_batches.Reader.TryRead(out var batch))
            {
                try
                {
                    await ProcessBatchAsync(batch).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A bug here must not lose records: whatever is unresolved stays uncommitted and is redelivered.
                    PipelineLog.Faulted(_logger, e, _name);
                    foreach (var record in batch.Records)
                    {
                        Abandon(record);
                    }
                }
            }
        }
    }

    /// <summary>Commits keep failing, or one commit has been blocked (coordinator unreachable) for three intervals.</summary>
    private bool CommitStalled()
    {
        if (_commitStalled)
        {
            return true;
        }

        var started = Interlocked.Read(ref _commitStartedAt);
        return started != 0 && _time.GetElapsedTime(started) >= _tuning.CommitInterval * 3;
    }

    private async Task ProcessBatchAsync(WorkBatch work)
    {
        // While commits keep failing, queued batches wait rather than add to what would be redelivered.
        while (CommitStalled() && !_draining && !_abort.IsCancellationRequested && work.Records.Any(r => !r.Partition.IsRevoked))
        {
            try
            {
                await Task.Delay(_tuning.CommitInterval, _time, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        var live = new List<PendingRecord>(work.Records.Count);
        foreach (var record in work.Records)
        {
            if (!_draining && record.Partition.TryStart())
            {
                record.Started = true;
                live.Add(record);
            }
            else
            {
                Abandon(record);
            }
        }

        if (live.Count == 0)
        {
            return;
        }

        // Allocated only when needed: most batches have no malformed record and no retry or dead-letter outcome.
        List<Task>? tasks = null;
        var normal = live;
        foreach (var record in live)
        {
            if (record.MalformedProblem is not null)
            {
                var error = new DeliveryError(400, ErrorCodes.DeserializationFailed, $"Malformed retry record: {record.MalformedProblem}");
                (tasks ??= []).Add(DeadLetterAsync(record, new EventOutcome.DeadLetter(DeadLetterReason.MalformedRetryRecord, error)));
                if (ReferenceEquals(normal, live))
                {
                    normal = [];
                    foreach (var other in live)
                    {
                        if (other.MalformedProblem is null)
                        {
                            normal.Add(other);
                        }
                    }
                }
            }
        }

        if (normal.Count > 0)
        {
            using var activity = StartActivity(normal);
            var outcomes = await DeliverAsync(normal, activity?.Context ?? default).ConfigureAwait(false);
            var delivered = 0;
            var abandoned = false;
            for (var i = 0; i < normal.Count; i++)
            {
                switch (outcomes[i])
                {
                    case null:
                        abandoned = true;
                        Abandon(normal[i]);
                        break;
                    case EventOutcome.DeliveredOutcome:
                        delivered++;
                        Resolve(normal[i], final: true);
                        break;
                    case EventOutcome.Retry retry:
                        (tasks ??= []).Add(RetryAsync(normal[i], retry));
                        break;
                    case EventOutcome.DeadLetter deadLetter:
                        (tasks ??= []).Add(DeadLetterAsync(normal[i], deadLetter));
                        break;
                }
            }

            if (delivered > 0)
            {
                _metrics.Events(_name, "delivered", null, delivered);
            }

            if (abandoned)
            {
                activity?.SetStatus(ActivityStatusCode.Error, "abandoned");
            }
        }

        if (tasks is not null)
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        _metrics.ProcessDuration(_name, _time.GetElapsedTime(work.CutAt));
    }

    private Activity? StartActivity(List<PendingRecord> records)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        List<ActivityLink>? links = null;
        foreach (var record in records)
        {
            if (record.Event.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var context))
            {
                links ??= [];
                links.Add(new ActivityLink(context));
                if (links.Count >= MaxLinks)
                {
                    break;
                }
            }
        }

        var activity = Source.StartActivity(ActivityKind.Consumer, parentContext: default, links: links, name: $"deliver {_name}");
        activity?.SetTag("delivery.destination", _name);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.consumer.group.name", _group);
        activity?.SetTag("messaging.batch.message_count", records.Count);
        return activity;
    }

    /// <summary>
    /// Delivers <paramref name="records"/> and returns one outcome per record (null: abandoned because the partition was
    /// revoked or the pipeline is shutting down). A hold retries the same records in place with back-off; an ordinary
    /// handler exception on more than one event bisects the batch to isolate the event that throws.
    /// </summary>
    private async Task<EventOutcome?[]> DeliverAsync(IReadOnlyList<PendingRecord> records, ActivityContext traceContext)
    {
        var events = new DeliveryEvent[records.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = records[i].Event;
        }

        var backoff = _tuning.HoldInitialBackoff;
        var holding = false;
        try
        {
            while (true)
            {
                // A held batch is given up (left uncommitted, redelivered later) on revoke and on shutdown.
                if (_abort.IsCancellationRequested || AllRevoked(records) || (holding && _draining))
                {
                    return new EventOutcome?[records.Count];
                }

                var batch = new DeliveryBatch(_name, events, traceContext);
                var (response, exception) = await InvokeAsync(batch).ConfigureAwait(false);
                if (exception is OperationCanceledException && _abort.IsCancellationRequested)
                {
                    return new EventOutcome?[records.Count];
                }

                if (exception is not null && records.Count > 1 && _tuning.BisectOnHandlerException && !OutcomeResolver.TryGetHold(exception, out _, out _))
                {
                    if (_logger.IsEnabled(LogLevel.Debug))
                    {
                        var reason = exception.GetType().Name;
                        PipelineLog.Bisecting(_logger, _name, records.Count, reason);
                    }
                    var half = records.Count / 2;
                    var left = await DeliverAsync(records.Take(half).ToArray(), traceContext).ConfigureAwait(false);
                    var right = await DeliverAsync(records.Skip(half).ToArray(), traceContext).ConfigureAwait(false);
                    return [.. left, .. right];
                }

                var now = _time.GetUtcNow();
                var resolution = exception is not null
                    ? OutcomeResolver.Resolve(batch, exception, _policy, now, Random.Shared)
                    : OutcomeResolver.Resolve(batch, response!, _policy, now, Random.Shared);
                if (!resolution.IsHold)
                {
                    if (resolution.ContractViolations > 0)
                    {
                        _metrics.ContractViolations(_name, resolution.ContractViolations);
                        PipelineLog.ContractViolation(_logger, _name, resolution.ContractViolations);
                    }

                    _metrics.Batch(_name, "resolved", records.Count);
                    return [.. resolution.Outcomes];
                }

                if (!holding)
                {
                    holding = true;
                    Interlocked.Increment(ref _holding);
                }

                var error = resolution.HoldError!;
                var delay = Min(Max(backoff, resolution.HoldRetryAfter ?? TimeSpan.Zero), _tuning.HoldMaxBackoff);
                backoff = Min(backoff * 2, _tuning.HoldMaxBackoff);
                _detail = $"held: {error.Status} {error.ErrorType}";
                _metrics.Batch(_name, "held", records.Count);
                _metrics.Events(_name, "held", error.ErrorType, records.Count);
                PipelineLog.Holding(_logger, _name, records.Count, error.Status, error.ErrorType, error.Message, delay);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, Volatile.Read(ref _revokeSignal).Token);
                if (_draining || AllRevoked(records))
                {
                    continue;
                }

                try
                {
                    await Task.Delay(delay, _time, wake.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Revoked or shutting down: re-checked at the top of the loop.
                }
            }
        }
        finally
        {
            if (holding)
            {
                Interlocked.Decrement(ref _holding);
            }
        }
    }

    private static bool AllRevoked(IReadOnlyList<PendingRecord> records)
    {
        for (var i = 0; i < records.Count; i++)
        {
            if (!records[i].Partition.IsRevoked)
            {
                return false;
            }
        }

        return true;
    }

    private async Task<(MultiStatusResponse? Response, Exception? Exception)> InvokeAsync(DeliveryBatch batch)
    {
        var started = _time.GetTimestamp();
        try
        {
            // WaitAsync: a handler that ignores cancellation still gives the worker back when the timeout fires.
            var response = await _resilience.ExecuteAsync(
                static (state, ct) => new ValueTask<MultiStatusResponse>(state.Handler.SendBatchAsync(state.Batch, ct).AsTask().WaitAsync(ct)),
                (Handler: _handler, Batch: batch),
                _abort.Token).ConfigureAwait(false);
            return response is null
                ? (null, new InvalidOperationException("The handler returned no MultiStatusResponse."))
                : (response, null);
        }
        catch (TimeoutRejectedException e)
        {
            return (null, new DestinationUnavailableException($"The destination did not answer within {e.Timeout}.", 504, null, e));
        }
        catch (BrokenCircuitException e)
        {
            return (null, new DestinationUnavailableException("The circuit is open after repeated destination failures.", 503, e.RetryAfter, e));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, e);
        }
        finally
        {
            _metrics.HandlerDuration(_name, _time.GetElapsedTime(started));
        }
    }

    private async Task RetryAsync(PendingRecord record, EventOutcome.Retry retry)
    {
        var topic = _tierTopics[Math.Clamp(retry.Tier, 1, _tierTopics.Length) - 1];
        var headers = DeliveryHeaderCodec.Encode(record.Message.Headers, new DeliveryRecordHeaders
        {
            EventId = record.Event.EventId,
            Attempt = record.Event.Attempt,
            NotBefore = retry.DueAt,
            FirstAttemptAt = record.Event.FirstAttemptAt,
            Origin = record.Event.Origin,
            Destination = _name,
            ConsumerGroup = _group,
            Error = retry.Error,
            RedriveCount = record.RedriveCount,
        }, _options.DeadLetter.MaxBodyBytes);
        if (await ProduceAsync(topic, record, headers).ConfigureAwait(false))
        {
            _metrics.Events(_name, "retried", retry.Error.ErrorType, 1, tier: retry.Tier);
            PipelineLog.Retried(_logger, _name, record.Event.EventId, record.Event.Attempt, topic, retry.DueAt);
            Resolve(record, final: false);
        }
        else
        {
            Abandon(record);
        }
    }

    private async Task DeadLetterAsync(PendingRecord record, EventOutcome.DeadLetter deadLetter)
    {
        var now = _time.GetUtcNow();
        var headers = DeliveryHeaderCodec.Encode(record.Message.Headers, new DeliveryRecordHeaders
        {
            EventId = record.Event.EventId,
            Attempt = record.Event.Attempt,
            FirstAttemptAt = record.Event.FirstAttemptAt,
            Origin = record.Event.Origin,
            Destination = _name,
            ConsumerGroup = _group,
            Error = deadLetter.Error,
            DeadLetterReason = deadLetter.Reason,
            DeadLetteredAt = now,
            RedriveCount = record.RedriveCount,
        }, _options.DeadLetter.MaxBodyBytes);
        if (await ProduceAsync(_deadLetterTopic, record, headers).ConfigureAwait(false))
        {
            _metrics.Events(_name, "dead_lettered", deadLetter.Error.ErrorType, 1, reason: deadLetter.Reason.ToString());
            if (_logger.IsEnabled(LogLevel.Information))
            {
                PipelineLog.DeadLettered(_logger, _name, record.Event.EventId, deadLetter.Reason, record.Event.Origin.Topic, record.Event.Origin.Partition, record.Event.Origin.Offset);
            }
            Resolve(record, final: true);
        }
        else
        {
            Abandon(record);
        }
    }

    /// <summary>Produces until the broker acknowledges; false when the record was given up (revoked, shutdown).</summary>
    private async Task<bool> ProduceAsync(string topic, PendingRecord record, Headers headers)
    {
        var message = new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers };
        var backoff = _tuning.ProduceRetryInitialBackoff;
        while (!_abort.IsCancellationRequested)
        {
            var producer = Volatile.Read(ref _producer);
            if (producer is null)
            {
                return false;
            }

            try
            {
                await producer.ProduceAsync(topic, message, _abort.Token).ConfigureAwait(false);
                _metrics.Sent(_name, topic, 1);
                return true;
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return false;
            }
            catch (ProduceException<byte[], byte[]> e)
            {
                PipelineLog.ProduceFailed(_logger, _name, record.Event.EventId, topic, e.Error.Reason);
                if (e.Error.IsFatal)
                {
                    RecreateProducer(producer, e.Error.Reason);
                }
            }
            catch (KafkaException e)
            {
                PipelineLog.ProduceFailed(_logger, _name, record.Event.EventId, topic, e.Error.Reason);
                if (e.Error.IsFatal)
                {
                    RecreateProducer(producer, e.Error.Reason);
                }
            }

            if (record.Partition.IsReleased)
            {
                return false;
            }

            try
            {
                await Task.Delay(backoff, _time, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            backoff = Min(backoff * 2, _tuning.ProduceRetryMaxBackoff);
        }

        return false;
    }

    private IProducer<byte[], byte[]> BuildProducer()
        => new ProducerBuilder<byte[], byte[]>(_clients.ProducerConfig($"delivery-worker-{_name}"))
            .SetLogHandler((_, message) => OnKafkaLog(message))
            .Build();

    private void OnKafkaLog(LogMessage message)
    {
        var level = message.Level switch
        {
            <= SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };

        // Delivery:Kafka:Client is shared by consumers and producers; librdkafka warns about the other kind's keys.
        if (message.Facility == "CONFWARN" && message.Message.Contains(" property ", StringComparison.Ordinal) && message.Message.Contains("will be ignored", StringComparison.Ordinal))
        {
            level = LogLevel.Debug;
        }

        if (_logger.IsEnabled(level))
        {
            PipelineLog.Kafka(_logger, level, _name, message.Facility, message.Message);
        }
    }

    private void RecreateProducer(IProducer<byte[], byte[]> failed, string reason)
    {
        lock (_producerGate)
        {
            if (!ReferenceEquals(_producer, failed))
            {
                return;
            }

            _producer = BuildProducer();
        }

        PipelineLog.ProducerRecreated(_logger, _name, reason);
        failed.Dispose();
    }

    private void Resolve(PendingRecord record, bool final)
    {
        if (!record.TryComplete())
        {
            return;
        }

        record.Partition.Tracker.Resolve(record.Offset);
        if (final)
        {
            _metrics.EventResolved(_name, _time.GetUtcNow() - record.Event.FirstAttemptAt, Math.Max(1, record.Event.Attempt));
        }

        Release(record);
    }

    private void Abandon(PendingRecord record)
    {
        if (record.TryComplete())
        {
            Release(record);
        }
    }

    private void Release(PendingRecord record)
    {
        if (record.Started)
        {
            record.Partition.Finish();
        }

        // Full fence, then the waiter count: a waiter registers before it checks its condition, so either it sees
        // this release or this sees it (and the wait is bounded by a slice anyway).
        Interlocked.Decrement(ref _inFlight);
        if (Volatile.Read(ref _signalWaiters) > 0)
        {
            lock (_signal)
            {
                Monitor.PulseAll(_signal);
            }
        }
    }
}
