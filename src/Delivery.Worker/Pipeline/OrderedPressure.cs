namespace Delivery.Worker.Pipeline;

/// <summary>
/// The result of <see cref="OrderedPartitionFlow.Evaluate"/>: the window of the partitions still flowing, the unresolved
/// records of the partitions paused on their own (left out of the in-flight pressure), and whether any pause changed.
/// </summary>
internal readonly record struct OrderedPressure(long Window, long ExcludedInFlight, bool Changed);
