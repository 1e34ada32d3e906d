namespace Delivery.Core.Events;

/// <summary>Where an event was first seen: its source topic, partition, offset and record timestamp.</summary>
/// <param name="Topic">Source topic.</param>
/// <param name="Partition">Source partition.</param>
/// <param name="Offset">Source offset.</param>
/// <param name="Timestamp">Source record timestamp.</param>
public readonly record struct EventOrigin(string Topic, int Partition, long Offset, DateTimeOffset Timestamp);
