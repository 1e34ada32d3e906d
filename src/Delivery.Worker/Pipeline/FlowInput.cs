namespace Delivery.Worker.Pipeline;

/// <summary>What the flow controller decides from.</summary>
/// <param name="InFlight">Consumed, unresolved records.</param>
/// <param name="Window">Tracked records not yet committable (unresolved, or resolved behind an unresolved one).</param>
/// <param name="Held">A batch is held (the destination is down).</param>
/// <param name="Draining">Shutting down.</param>
/// <param name="Rebalancing">A commit was refused because the group is rebalancing.</param>
/// <param name="CommitStalled">Commits keep failing.</param>
internal readonly record struct FlowInput(long InFlight, long Window, bool Held, bool Draining, bool Rebalancing, bool CommitStalled);
