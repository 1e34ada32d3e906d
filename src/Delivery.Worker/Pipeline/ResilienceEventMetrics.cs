using Delivery.Worker.Telemetry;
using Polly.Telemetry;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Polly telemetry listener: each resilience event of a destination's handler pipelines (OnRetry of the hold,
/// OnCircuitOpened/Closed/HalfOpened, OnTimeout) becomes <c>delivery.resilience.events</c>. Execution bookkeeping
/// events are left to Polly's own meter.
/// </summary>
internal sealed class ResilienceEventMetrics(DeliveryMetrics metrics) : TelemetryListener
{
    public override void Write<TResult, TArgs>(in TelemetryEventArguments<TResult, TArgs> args)
    {
        var source = args.Source;
        if (source.PipelineName is not { } name || !name.StartsWith(HandlerResilience.KeyPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var eventName = args.Event.EventName;
        if (eventName is "PipelineExecuting" or "PipelineExecuted" or "ExecutionAttempt")
        {
            return;
        }

        metrics.ResilienceEvent(source.PipelineInstanceName ?? name, source.StrategyName ?? "unknown", eventName);
    }
}
