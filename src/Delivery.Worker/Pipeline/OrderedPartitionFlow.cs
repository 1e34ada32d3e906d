namespace Delivery.Worker.Pipeline;

/// <summary>
/// Per-partition flow control of an <c>Ordering: PerKey</c> destination. A key waiting for its retry keeps its
/// partition's commit where it is, so everything consumed after it waits too (parked behind its key, or resolved
/// behind the unresolved offset) and is what a crash would redeliver. When one partition's waiting events reach
/// <c>MaxInFlightEvents</c>, only that partition pauses (until below half); its events then no longer count towards the
/// pressure that pauses every partition, so other partitions keep flowing. Pure (<paramref name="changed"/> is told
/// each pause and resume, for the log); consume loop only.
/// </summary>
internal sealed class OrderedPartitionFlow(long limit, Action<PartitionState, long>? changed = null)
{
    /// <summary>Updates <see cref="PartitionState.OrderPaused"/> of every partition and returns the pressure of the others.</summary>
    public OrderedPressure Evaluate(IEnumerable<PartitionState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        long window = 0;
        long excluded = 0;
        var any = false;
        foreach (var state in states)
        {
            var waiting = state.Uncommittable;
            if (!state.OrderPaused && waiting >= limit)
            {
                state.OrderPaused = true;
                any = true;
                changed?.Invoke(state, waiting);
            }
            else if (state.OrderPaused && waiting < limit / 2)
            {
                state.OrderPaused = false;
                any = true;
                changed?.Invoke(state, waiting);
            }

            if (state.OrderPaused)
            {
                excluded += state.Tracker.Pending;
            }
            else
            {
                window += waiting;
            }
        }

        return new OrderedPressure(window, excluded, any);
    }
}
