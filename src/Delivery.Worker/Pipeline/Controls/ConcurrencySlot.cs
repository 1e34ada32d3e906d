namespace Delivery.Worker.Pipeline.Controls;

/// <summary>One handler call's place under the <see cref="AdaptiveConcurrencyLimiter"/>.</summary>
/// <param name="Epoch">The limiter's epoch when the slot was taken (an overload seen by a call that started before
/// the last decrease does not halve the limit again).</param>
internal readonly record struct ConcurrencySlot(long Epoch);
