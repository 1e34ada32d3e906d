namespace Delivery.Worker.Pipeline;

/// <summary>
/// Flow control of one consumer (DESIGN.md §6). Pressure is max(in flight, window): unresolved records and resolved
/// ones stuck behind them, both of which a lost partition redelivers. At <c>MaxInFlightEvents</c> the loop first only
/// stops polling (soft: the partitions keep fetching, so consumption goes on at once when work completes); if the
/// pressure stays at the limit for <c>BackpressureGrace</c>, every partition is paused until it is below half.
/// Held, draining, rebalancing and a commit stall also pause every partition. Pure apart from the clock; consume loop only.
/// </summary>
internal sealed class FlowController(long maxInFlight, TimeSpan grace, TimeProvider time)
{
    /// <summary>Longest single soft wait: the loop looks at commits, commands and the clock at least this often.</summary>
    public static readonly TimeSpan MaxSoftWait = TimeSpan.FromMilliseconds(20);

    private bool _atLimit;
    private long _atLimitSince;
    private bool _backpressure;

    /// <summary>True while every partition is paused for sustained backpressure.</summary>
    public bool Backpressure => _backpressure;

    /// <summary>The limit.</summary>
    public long MaxInFlight => maxInFlight;

    /// <summary>Decides what the loop does now.</summary>
    public FlowDecision Decide(in FlowInput input)
    {
        var pressure = Math.Max(input.InFlight, input.Window);
        var soft = false;
        string? transition = null;
        if (!_backpressure && pressure >= maxInFlight)
        {
            if (!_atLimit)
            {
                _atLimit = true;
                _atLimitSince = time.GetTimestamp();
            }

            if (time.GetElapsedTime(_atLimitSince) >= grace)
            {
                _atLimit = false;
                _backpressure = true;
                transition = "on";
            }
            else
            {
                soft = true;
            }
        }
        else
        {
            _atLimit = false;
            if (_backpressure && pressure < maxInFlight / 2)
            {
                _backpressure = false;
                transition = "off";
            }
        }

        var waiting = input.Draining ? LoopWait.Draining
            : input.Held ? LoopWait.Held
            : _backpressure || input.Rebalancing || input.CommitStalled ? LoopWait.Paused
            : soft ? LoopWait.Backpressure
            : LoopWait.None;
        var action = waiting switch
        {
            LoopWait.None => FlowAction.Poll,
            LoopWait.Backpressure => FlowAction.Wait,
            _ => FlowAction.PauseAll,
        };
        return new FlowDecision(action, pressure, transition, waiting);
    }

    /// <summary>How long one soft wait may last: what is left of the grace, at least 1 ms, at most <see cref="MaxSoftWait"/>.</summary>
    public TimeSpan SoftWaitBudget()
    {
        var remaining = grace - time.GetElapsedTime(_atLimitSince);
        return remaining < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : remaining > MaxSoftWait ? MaxSoftWait : remaining;
    }
}
