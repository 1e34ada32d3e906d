using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Health;

/// <summary>
/// Turns pipeline statuses into liveness and readiness. Ready: every enabled destination's pipeline is Running or
/// Held (held destinations are listed). Alive: no pipeline has faulted — a fatal Kafka error cannot heal in-process,
/// so a restart is the remedy — and no consume loop has stalled (<see cref="ConsumeLoopLiveness"/>: not turned for
/// longer than <c>Delivery:Health:LoopStallTimeout</c> while not deliberately waiting). Faulted and stalled
/// destinations are listed under <c>notReady</c>.
/// </summary>
internal static class HealthEvaluator
{
    /// <summary>Readiness: (ready, report).</summary>
    public static (bool Ready, HealthReport Report) Readiness(IReadOnlyList<DestinationStatus> statuses, bool stopping)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var held = statuses.Where(static s => s.State == DestinationState.Held).Select(static s => s.Destination).ToArray();
        var notReady = statuses.Where(static s => s.State is not (DestinationState.Running or DestinationState.Held)).Select(static s => s.Destination).ToArray();
        var ready = !stopping && notReady.Length == 0;
        var status = stopping ? "stopping" : notReady.Length > 0 ? "not_ready" : held.Length > 0 ? "held" : "ok";
        return (ready, new HealthReport(status, Describe(statuses), held, notReady));
    }

    /// <summary>Liveness: (alive, report).</summary>
    public static (bool Alive, HealthReport Report) Liveness(IReadOnlyList<DestinationStatus> statuses, bool stopping, IReadOnlyList<LoopStall>? stalled = null)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        stalled ??= [];
        var faulted = statuses.Where(static s => s.State == DestinationState.Faulted).Select(static s => s.Destination).ToArray();
        var held = statuses.Where(static s => s.State == DestinationState.Held).Select(static s => s.Destination).ToArray();
        var alive = faulted.Length == 0 && stalled.Count == 0;
        var status = faulted.Length > 0 ? "faulted" : stalled.Count > 0 ? "stalled" : stopping ? "stopping" : "ok";
        var unhealthy = faulted.Concat(stalled.Select(static s => s.Destination)).Distinct(StringComparer.Ordinal).ToArray();
        return (alive, new HealthReport(status, Describe(statuses), held, unhealthy));
    }

    private static DestinationHealth[] Describe(IReadOnlyList<DestinationStatus> statuses) =>
        [.. statuses.Select(static s => new DestinationHealth(s.Destination, s.State.ToString(), s.InFlightEvents, s.Lag, s.Detail))];
}
