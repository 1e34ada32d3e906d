namespace Delivery.Worker.Pipeline;

/// <summary>
/// The first-attempt handler slots of one destination (the first lane's share of <c>MaxConcurrent</c>): a batch with
/// first-attempt records takes a slot when it is cut and gives it back when a worker finished its first-lane part
/// (delivered, retried, dead-lettered or abandoned, produce acks included). Cut batches that wait in the queue hold
/// their slot too, so "a slot is free" means a worker would pick a new batch up at once. Retry records have a lane
/// of their own and take no slot here.
/// Taken by the consume loop, released by the workers: Interlocked.
/// </summary>
internal sealed class BatchSlots(int max)
{
    private int _busy;

    /// <summary>The number of slots (the first lane's, at least 1).</summary>
    public int Max { get; } = Math.Max(1, max);

    /// <summary>Batches cut and not yet finished (queued or being delivered).</summary>
    public int Busy => Volatile.Read(ref _busy);

    /// <summary>True when fewer than <see cref="Max"/> batches are cut and unfinished.</summary>
    public bool AnyFree => Busy < Max;

    /// <summary>A batch was cut.</summary>
    public void Take() => Interlocked.Increment(ref _busy);

    /// <summary>A batch was finished or abandoned.</summary>
    public void Release() => Interlocked.Decrement(ref _busy);
}
