namespace Delivery.Worker.Pipeline.Controls;

/// <summary>A batch taken from a lane; the worker gives its slot back with <see cref="LaneScheduler.Done"/>.</summary>
/// <param name="Batch">The batch (all of its records are of one lane).</param>
/// <param name="Lane">Its lane.</param>
internal sealed record LaneBatch(WorkBatch Batch, DeliveryLane Lane);
