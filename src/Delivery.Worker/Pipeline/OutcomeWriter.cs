using Confluent.Kafka;
using Delivery.Core.Options;
using Delivery.Core.Outcomes;
using Delivery.Core.Topology;
using Delivery.Worker.Kafka;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Writes retry and dead-letter records (DESIGN.md §5, §6) and resolves a record only once the broker acknowledged its
/// retry/DLQ record (idempotent producer, acks=all). A failed produce is retried with back-off and never resolves the
/// record; it is given up (left unresolved, so redelivered) only when its partition left this consumer or the pipeline
/// aborts. Owns the producer: built at start, rebuilt after a fatal error, flushed and disposed at stop. The producer
/// reference is swapped with Interlocked only.
/// </summary>
internal sealed class OutcomeWriter(
    string destination,
    DestinationOptions options,
    DestinationTopology topology,
    PipelineOptions tuning,
    KafkaClientFactory clients,
    PipelineRun run,
    WorkTracker work,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private IProducer<byte[], byte[]>? _producer;

    /// <summary>Builds the producer.</summary>
    public void Start() => Interlocked.Exchange(ref _producer, Build())?.Dispose();

    /// <summary>Re-enqueues <paramref name="record"/> on its retry tier; resolves it on the broker's acknowledgement.</summary>
    public async Task RetryAsync(PendingRecord record, EventOutcome.Retry retry)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(retry);
        var topic = topology.TierTopic(retry.Tier);
        var headers = DeliveryHeaderCodec.Encode(record.Message.Headers, new DeliveryRecordHeaders
        {
            EventId = record.Event.EventId,
            Attempt = record.Event.Attempt,
            NotBefore = retry.DueAt,
            FirstAttemptAt = record.Event.FirstAttemptAt,
            Origin = record.Event.Origin,
            Destination = destination,
            ConsumerGroup = topology.ConsumerGroup,
            Error = retry.Error,
            RedriveCount = record.RedriveCount,
        }, options.DeadLetter.MaxBodyBytes);
        if (await ProduceAsync(topic, record, headers).ConfigureAwait(false))
        {
            metrics.Events(destination, "retried", retry.Error.ErrorType, 1, tier: retry.Tier);
            PipelineLog.Retried(logger, destination, record.Event.EventId, record.Event.Attempt, topic, retry.DueAt);
            work.Resolve(record, final: false);
        }
        else
        {
            work.Abandon(record);
        }
    }

    /// <summary>
    /// Produces a not-yet-due tier record unchanged (key, value and headers byte for byte: not a new attempt) to the
    /// tail of its own tier topic (<see cref="TierHeadRule"/>); resolves it on the broker's acknowledgement.
    /// </summary>
    public async Task RequeueAsync(PendingRecord record, int tier, DateTimeOffset dueAt)
    {
        ArgumentNullException.ThrowIfNull(record);
        var topic = record.Partition.Partition.Topic;
        if (await ProduceAsync(topic, record, record.Message.Headers ?? []).ConfigureAwait(false))
        {
            metrics.Requeued(destination, tier);
            PipelineLog.Requeued(logger, destination, record.Event.EventId, record.Event.Attempt, topic, dueAt);

            work.Resolve(record, final: false);
        }
        else
        {
            work.Abandon(record);
        }
    }

    /// <summary>Dead-letters <paramref name="record"/>; resolves it on the broker's acknowledgement.</summary>
    public async Task DeadLetterAsync(PendingRecord record, EventOutcome.DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(deadLetter);
        var headers = DeliveryHeaderCodec.Encode(record.Message.Headers, new DeliveryRecordHeaders
        {
            EventId = record.Event.EventId,
            Attempt = record.Event.Attempt,
            FirstAttemptAt = record.Event.FirstAttemptAt,
            Origin = record.Event.Origin,
            Destination = destination,
            ConsumerGroup = topology.ConsumerGroup,
            Error = deadLetter.Error,
            DeadLetterReason = deadLetter.Reason,
            DeadLetteredAt = time.GetUtcNow(),
            RedriveCount = record.RedriveCount,
        }, options.DeadLetter.MaxBodyBytes);
        if (await ProduceAsync(topology.DeadLetterTopic, record, headers).ConfigureAwait(false))
        {
            metrics.Events(destination, "dead_lettered", deadLetter.Error.ErrorType, 1, reason: deadLetter.Reason.ToString());
            if (logger.IsEnabled(LogLevel.Information))
            {
                var origin = record.Event.Origin;
                PipelineLog.DeadLettered(logger, destination, record.Event.EventId, deadLetter.Reason, origin.Topic, origin.Partition, origin.Offset);
            }

            work.Resolve(record, final: true);
        }
        else
        {
            work.Abandon(record);
        }
    }

    /// <summary>Flushes (bounded) and disposes the producer.</summary>
    public void Close()
    {
        var producer = Interlocked.Exchange(ref _producer, null);
        if (producer is null)
        {
            return;
        }

        try
        {
            producer.Flush(TimeSpan.FromSeconds(2));
        }
        catch (KafkaException)
        {
            // Closing anyway: whatever was not acknowledged stays unresolved and is redelivered.
        }

        producer.Dispose();
    }

    /// <summary>Produces until the broker acknowledges; false when the record was given up (partition released, abort, closed).</summary>
    private async Task<bool> ProduceAsync(string topic, PendingRecord record, Headers headers)
    {
        var message = new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers };
        var backoff = tuning.ProduceRetryInitialBackoff;
        while (!run.IsAborted)
        {
            var producer = Volatile.Read(ref _producer);
            if (producer is null)
            {
                return false;
            }

            try
            {
                await producer.ProduceAsync(topic, message, run.Aborted).ConfigureAwait(false);
                metrics.Sent(destination, topic, 1);
                return true;
            }
            catch (OperationCanceledException) when (run.IsAborted)
            {
                return false;
            }
            catch (KafkaException e)
            {
                // ProduceException too: retried below; a fatal producer is replaced first.
                PipelineLog.ProduceFailed(logger, destination, record.Event.EventId, topic, e.Error.Reason);
                if (e.Error.IsFatal)
                {
                    Recreate(producer, e.Error.Reason);
                }
            }
            catch (ObjectDisposedException)
            {
                // Replaced or closed meanwhile: look again.
            }

            if (record.Partition.IsReleased)
            {
                return false;
            }

            try
            {
                await Task.Delay(backoff, time, run.Aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            backoff = backoff * 2 > tuning.ProduceRetryMaxBackoff ? tuning.ProduceRetryMaxBackoff : backoff * 2;
        }

        return false;
    }

    private IProducer<byte[], byte[]> Build()
        => new ProducerBuilder<byte[], byte[]>(clients.ProducerConfig($"delivery-worker-{destination}"))
            .SetLogHandler((_, message) => KafkaLogBridge.Log(logger, destination, message))
            .Build();

    private void Recreate(IProducer<byte[], byte[]> failed, string reason)
    {
        if (!ReferenceEquals(Volatile.Read(ref _producer), failed))
        {
            return;
        }

        var fresh = Build();
        if (Interlocked.CompareExchange(ref _producer, fresh, failed) != failed)
        {
            fresh.Dispose(); // another worker replaced it (or it was closed) first
            return;
        }

        PipelineLog.ProducerRecreated(logger, destination, reason);
        failed.Dispose();
    }
}
