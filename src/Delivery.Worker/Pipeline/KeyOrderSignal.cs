namespace Delivery.Worker.Pipeline;

/// <summary>A signal to the <see cref="KeyOrderGate"/>: <paramref name="Record"/> resolved (no due time) or its next attempt held until <paramref name="RetryAt"/>.</summary>
internal readonly record struct KeyOrderSignal(PendingRecord Record, DateTimeOffset? RetryAt);
