namespace Delivery.Core.Events;

/// <summary>One record header, byte for byte.</summary>
/// <param name="Key">Header name.</param>
/// <param name="Value">Header value (may be empty).</param>
public readonly record struct EventHeader(string Key, ReadOnlyMemory<byte> Value);
