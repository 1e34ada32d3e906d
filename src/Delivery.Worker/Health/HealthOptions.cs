namespace Delivery.Worker.Health;

/// <summary>Liveness tuning (<c>Delivery:Health</c>).</summary>
internal sealed class HealthOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Delivery:Health";

    /// <summary>Shortest allowed <see cref="LoopStallTimeout"/>.</summary>
    public static readonly TimeSpan MinLoopStallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Longest allowed <see cref="LoopStallTimeout"/>.</summary>
    public static readonly TimeSpan MaxLoopStallTimeout = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a destination's consume loop may go without turning, while it is not deliberately waiting (held,
    /// paused, draining), before <c>/healthz</c> answers 503 so the orchestrator restarts the worker. The loop turns
    /// at least every 50 ms when healthy; a rebalance callback may keep it for up to <c>Delivery:Pipeline:RevokeTimeout</c>.
    /// Default 2 min; between 10 s and 1 h, and longer than <c>Delivery:Pipeline:HandlerTimeout</c>.
    /// </summary>
    public TimeSpan LoopStallTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
