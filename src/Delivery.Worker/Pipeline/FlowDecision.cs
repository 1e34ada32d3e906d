namespace Delivery.Worker.Pipeline;

/// <summary>The flow controller's decision.</summary>
/// <param name="Action">Poll, wait or pause all.</param>
/// <param name="Pressure">The count compared with the limit: max(in flight, window).</param>
/// <param name="Transition">"on" or "off" when backpressure (pause all) just started or ended, else null.</param>
/// <param name="Waiting">Why the loop is not consuming, for the heartbeat.</param>
internal readonly record struct FlowDecision(FlowAction Action, long Pressure, string? Transition, LoopWait Waiting);
