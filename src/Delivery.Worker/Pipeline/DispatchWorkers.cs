using System.Diagnostics;
using Delivery.Core.MultiStatus;
using Delivery.Core.Outcomes;
using Delivery.Worker.Pipeline.Controls;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// <c>MaxConcurrent</c> workers (thread pool) taking batches from the <see cref="LaneScheduler"/>, which splits the batch
/// channel into a first-attempt and a retry lane with their shares of the slots. Each batch: wait while commits are blocked (so the
/// work that cannot be committed stays small), start its records (a revoked partition's records are abandoned, i.e.
/// redelivered to the new owner), dead-letter malformed retry records, deliver the rest through the
/// <see cref="DeliveryInvoker"/> and hand each outcome to the <see cref="OutcomeWriter"/>.
/// </summary>
internal sealed class DispatchWorkers(
    string destination,
    LaneScheduler lanes,
    DeliveryInvoker invoker,
    OutcomeWriter writer,
    CommitScheduler commits,
    WorkTracker work,
    PipelineRun run,
    PipelineOptions tuning,
    BatchSlots slots,
    string consumerGroup,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger logger,
    KeyOrderInbox? order = null)
{
    private Task[] _workers = [];

    /// <summary>Starts the lanes' pump and <paramref name="count"/> workers.</summary>
    public void Start(int count) => _workers =
    [
        Task.Run(lanes.PumpAsync, CancellationToken.None),
        .. Enumerable.Range(0, Math.Max(1, count)).Select(_ => Task.Run(RunAsync, CancellationToken.None)),
    ];

    /// <summary>Completes when every worker ended (the channel was completed and drained), or after <paramref name="timeout"/>.</summary>
    public Task StopAsync(TimeSpan timeout)
        => Task.WhenAll(_workers).WaitAsync(timeout, time, CancellationToken.None).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task RunAsync()
    {
        while (await lanes.TakeAsync().ConfigureAwait(false) is { } taken)
        {
            var batch = taken.Batch;
            try
            {
                await ProcessAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug here must not lose records: whatever is unresolved stays uncommitted and is redelivered.
                PipelineLog.Faulted(logger, e, destination);
                foreach (var record in batch.Records)
                {
                    work.Abandon(record);
                }
            }
            finally
            {
                lanes.Done(taken.Lane);

                // After the records' own pulses: a loop that waits for a free slot looks again.
                if (taken.Lane == DeliveryLane.First)
                {
                    slots.Release();
                    work.Wakeup.Pulse();
                }
            }
        }
    }

    private async Task ProcessAsync(WorkBatch batch)
    {
        // While commits keep failing, queued batches wait rather than add to what would be redelivered.
        while (commits.CommitBlocked() && !run.Draining && !run.IsAborted && batch.Records.Any(r => !r.Partition.IsRevoked))
        {
            try
            {
                await Task.Delay(tuning.CommitInterval, time, run.Aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        var live = new List<PendingRecord>(batch.Records.Count);
        List<Task>? writes = null;
        var records = batch.Records;
        var runStarted = false;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (i == 0 || !ReferenceEquals(record.Partition, records[i - 1].Partition))
            {
                // One start per run of records of the same partition (a revoke stops the whole run).
                var end = i + 1;
                while (end < records.Count && ReferenceEquals(records[end].Partition, record.Partition))
                {
                    end++;
                }

                runStarted = !run.Draining && record.Partition.TryStart(end - i);
            }

            if (!runStarted)
            {
                work.Abandon(record);
                continue;
            }

            record.Started = true;
            if (record.MalformedProblem is { } problem)
            {
                var error = new DeliveryError(400, ErrorCodes.DeserializationFailed, $"Malformed retry record: {problem}");
                (writes ??= []).Add(writer.DeadLetterAsync(record, new EventOutcome.DeadLetter(DeadLetterReason.MalformedRetryRecord, error)));
            }
            else
            {
                live.Add(record);
            }
        }

        if (live.Count > 0)
        {
            writes = await DeliverAsync(live, writes).ConfigureAwait(false);
        }

        if (writes is { Count: > 0 })
        {
            await Task.WhenAll(writes).ConfigureAwait(false);
        }

        metrics.ProcessDuration(destination, time.GetElapsedTime(batch.CutAt));
    }

    private static bool AllDelivered(EventOutcome?[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome is not EventOutcome.DeliveredOutcome)
            {
                return false;
            }
        }

        return outcomes.Length > 0;
    }

    private async Task<List<Task>?> DeliverAsync(List<PendingRecord> records, List<Task>? writes)
    {
        using var activity = DeliveryActivity.Start(destination, consumerGroup, records);
        var outcomes = await invoker.DeliverAsync(records, activity?.Context ?? default).ConfigureAwait(false);
        var delivered = 0;
        var abandoned = false;
        var now = time.GetUtcNow(); // one clock read for the batch's event-age metrics
        if (AllDelivered(outcomes))
        {
            // The common case: the batch's counters change once per partition run, not once per record.
            work.ResolveDelivered(records, now);
            metrics.Events(destination, "delivered", null, records.Count);
            return writes;
        }

        for (var i = 0; i < records.Count; i++)
        {
            switch (outcomes[i])
            {
                case null:
                    abandoned = true;
                    work.Abandon(records[i]);
                    break;
                case EventOutcome.DeliveredOutcome:
                    delivered++;
                    work.Resolve(records[i], final: true, now);
                    break;
                case EventOutcome.Retry retry when order is not null:
                    // Ordering: PerKey: held in place (a tier topic would reorder), its key stays blocked.
                    if (order.Retry(records[i], retry.DueAt, work))
                    {
                        metrics.Events(destination, "retried", retry.Error.ErrorType, 1, tier: retry.Tier);
                    }

                    break;
                case EventOutcome.Retry retry:
                    (writes ??= []).Add(writer.RetryAsync(records[i], retry));
                    break;
                case EventOutcome.DeadLetter deadLetter:
                    (writes ??= []).Add(writer.DeadLetterAsync(records[i], deadLetter));
                    break;
            }
        }

        if (delivered > 0)
        {
            metrics.Events(destination, "delivered", null, delivered);
        }

        if (abandoned)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "abandoned");
        }

        return writes;
    }
}
