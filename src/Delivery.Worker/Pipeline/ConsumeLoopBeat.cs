namespace Delivery.Worker.Pipeline;

/// <summary>What the consume loop last reported.</summary>
/// <param name="SinceLastBeat">Time since the loop last turned (TimeProvider).</param>
/// <param name="Waiting">Why it is deliberately waiting, or <see cref="LoopWait.None"/>.</param>
/// <param name="Running">False before the loop started and after it ended.</param>
internal sealed record ConsumeLoopBeat(TimeSpan SinceLastBeat, LoopWait Waiting, bool Running);
