using System.Diagnostics;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Outcomes;
using Delivery.Core.Retry;
using Delivery.Worker.Pipeline.Controls;
using Delivery.Worker.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Calls the destination's handler for a batch and turns the answer into one outcome per record (DESIGN.md §4):
/// through the keyed call pipeline (breaker, timeout), inside the hold pipeline (a destination-level failure retries
/// the same batch in place with back-off and Retry-After, pausing consumption); an ordinary handler exception on more
/// than one event bisects the batch to isolate the event that throws. Every call first waits for the destination's
/// <see cref="DeliveryControls"/> (concurrency slot, rate-limit tokens); a batch larger than the events bucket is
/// delivered in parts. Runs on the dispatch workers.
/// </summary>
internal sealed class DeliveryInvoker(
    string destination,
    IDestinationHandler handler,
    ResiliencePipeline call,
    ResiliencePipeline<HandlerCall> hold,
    RetryPolicy policy,
    PipelineOptions tuning,
    PipelineRun run,
    HeldBatches held,
    DeliveryControls controls,
    WorkTracker work,
    PipelineStatusCell status,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>
    /// Delivers <paramref name="records"/>; one outcome per record, null where it was abandoned (its partition was
    /// revoked, or the pipeline is shutting down while the batch is held).
    /// </summary>
    public async Task<EventOutcome?[]> DeliverAsync(IReadOnlyList<PendingRecord> records, ActivityContext traceContext)
    {
        if (records.Count > controls.MaxEventsPerCall)
        {
            // One call may carry at most the events bucket's size: deliver in parts, one after the other.
            var outcomes = new List<EventOutcome?>(records.Count);
            foreach (var part in records.Chunk(controls.MaxEventsPerCall))
            {
                outcomes.AddRange(await DeliverAsync(part, traceContext).ConfigureAwait(false));
            }

            return [.. outcomes];
        }

        var events = new DeliveryEvent[records.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = records[i].Event;
        }

        var session = new HoldSession(records.Count, tuning.HoldInitialBackoff, tuning.HoldMaxBackoff, () => GiveUp(records, holding: true), OnHold, tuning.GoneBackoff);
        var batch = new DeliveryBatch(destination, events, traceContext);
        var woken = false;
        try
        {
            while (true)
            {
                if (GiveUp(records, session.Holding || woken))
                {
                    return new EventOutcome?[records.Count];
                }

                if (await HoldAsync(batch, session).ConfigureAwait(false) is not { } result)
                {
                    woken = true; // a revoke or the drain, in a back-off or a wait for the controls: still wanted?
                    continue;
                }

                var exception = result.Exception;
                if (exception is OperationCanceledException && run.IsAborted)
                {
                    return new EventOutcome?[records.Count];
                }

                if (exception is not null && OutcomeResolver.TryGetHold(exception, out _, out _))
                {
                    // The hold retry gave up (revoked, draining, aborted): the loop's first check abandons the batch.
                    if (session.Enter())
                    {
                        work.HoldBegan();
                    }

                    continue;
                }

                if (exception is not null && records.Count > 1 && tuning.BisectOnHandlerException)
                {
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        var reason = exception.GetType().Name;
                        PipelineLog.Bisecting(logger, destination, records.Count, reason);
                    }

                    var half = records.Count / 2;
                    var left = await DeliverAsync(records.Take(half).ToArray(), traceContext).ConfigureAwait(false);
                    var right = await DeliverAsync(records.Skip(half).ToArray(), traceContext).ConfigureAwait(false);
                    return [.. left, .. right];
                }

                var now = time.GetUtcNow();
                var resolution = exception is not null
                    ? OutcomeResolver.Resolve(batch, exception, policy, now, Random.Shared)
                    : OutcomeResolver.Resolve(batch, result.Response!, policy, now, Random.Shared);
                if (resolution.ContractViolations > 0)
                {
                    metrics.ContractViolations(destination, resolution.ContractViolations);
                    PipelineLog.ContractViolation(logger, destination, resolution.ContractViolations);
                }

                metrics.Batch(destination, "resolved", records.Count);
                return resolution.Outcomes is EventOutcome[] outcomes ? outcomes : [.. resolution.Outcomes]; // the resolver's own array, not a copy
            }
        }
        finally
        {
            if (session.Holding)
            {
                work.HoldEnded();
            }
        }
    }

    /// <summary>The call inside the hold retry; null when the delivery was woken.</summary>
    private async Task<HandlerCall?> HoldAsync(DeliveryBatch batch, HoldSession session)
    {
        var wake = held.Enter(run.Aborted);
        var context = ResilienceContextPool.Shared.Get(wake.Token);
        context.Properties.Set(HandlerResilience.Session, session);
        try
        {
            return await hold.ExecuteAsync(
                static (context, state) => state.Invoker.ControlledCallAsync(state.Batch, context.CancellationToken),
                context,
                (Invoker: this, Batch: batch)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            held.Leave(wake);
        }
    }

    /// <summary>
    /// One handler call once the controls let it start (the wait ends with <see cref="OperationCanceledException"/>
    /// when <paramref name="wake"/> fires); its answer is reported to the adaptive concurrency limit.
    /// </summary>
    private async ValueTask<HandlerCall> ControlledCallAsync(DeliveryBatch batch, CancellationToken wake)
    {
        var slot = await controls.AcquireAsync(batch.Count, wake).ConfigureAwait(false);
        var (call, signal) = (default(HandlerCall), CallSignal.Neutral);
        try
        {
            (call, signal) = await CallAsync(batch).ConfigureAwait(false);
            return call;
        }
        finally
        {
            controls.Release(slot, signal);
        }
    }

    /// <summary>One handler call through the breaker and the timeout, and what it says about the destination's load; never throws.</summary>
    private async ValueTask<(HandlerCall Call, CallSignal Signal)> CallAsync(DeliveryBatch batch)
    {
        var started = time.GetTimestamp();
        try
        {
            // WaitAsync: a handler that ignores cancellation still gives the worker back when the timeout fires.
            var response = await call.ExecuteAsync(
                static (state, ct) => new ValueTask<MultiStatusResponse>(state.Handler.SendBatchAsync(state.Batch, ct).AsTask().WaitAsync(ct)),
                (Handler: handler, Batch: batch),
                run.Aborted).ConfigureAwait(false);
            return response is null
                ? (new HandlerCall(null, new InvalidOperationException("The handler returned no MultiStatusResponse.")), CallSignal.Neutral)
                : (new HandlerCall(response, null), CallSignals.Of(response));
        }
        catch (TimeoutRejectedException e)
        {
            return (new HandlerCall(null, new DestinationUnavailableException($"The destination did not answer within {e.Timeout}.", 504, null, e)), CallSignal.Neutral);
        }
        catch (BrokenCircuitException e)
        {
            // Our own circuit, not the destination's answer: no overload signal.
            return (new HandlerCall(null, new DestinationUnavailableException("The circuit is open after repeated destination failures.", 503, e.RetryAfter, e)), CallSignal.Neutral);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (new HandlerCall(null, e), CallSignals.Of(e));
        }
        finally
        {
            metrics.HandlerDuration(destination, time.GetElapsedTime(started));
        }
    }

    private void OnHold(HoldSession session, DeliveryError error, TimeSpan delay)
    {
        if (session.Enter())
        {
            work.HoldBegan();
        }

        var count = session.Count;
        if (session.Gone is { } gone)
        {
            // 410: the endpoint asked us to stop. Held (nothing dead-lettered), visible as its own state, retried rarely.
            var endpoint = string.IsNullOrEmpty(gone.Endpoint) ? "the endpoint" : gone.Endpoint;
            status.Detail = $"gone: {endpoint} answered 410 Gone; held, next try in {delay}";
            PipelineLog.Gone(logger, destination, endpoint, count, delay);
        }
        else
        {
            status.Detail = $"held: {error.Status} {error.ErrorType}";
        }

        metrics.Batch(destination, "held", count);
        metrics.Events(destination, "held", error.ErrorType, count);
        PipelineLog.Holding(logger, destination, count, error.Status, error.ErrorType, error.Message, delay);
    }

    /// <summary>A held batch is given up (left uncommitted, redelivered later) on revoke, on abort, and on shutdown while held or waiting for the controls.</summary>
    private bool GiveUp(IReadOnlyList<PendingRecord> records, bool holding)
    {
        if (run.IsAborted || (holding && run.Draining))
        {
            return true;
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (!records[i].Partition.IsRevoked)
            {
                return false;
            }
        }

        return true;
    }
}
