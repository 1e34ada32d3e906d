namespace Delivery.Worker.Demo;

/// <summary>One refresh of the demo's numbers.</summary>
/// <param name="Elapsed">Time since the demo started.</param>
/// <param name="Produced">Events the generator got acknowledged.</param>
/// <param name="Consumed">Records the worker consumed (source and retry topics).</param>
/// <param name="Delivered">Events delivered.</param>
/// <param name="RetriedByTier">Records sent to each retry tier.</param>
/// <param name="Held">Events in held batches (counted per hold).</param>
/// <param name="DeadLettered">Events dead-lettered.</param>
/// <param name="InFlight">Consumed, unresolved events.</param>
/// <param name="Lag">Records behind the high watermarks.</param>
/// <param name="EventsPerSecond">Delivered per second over the last refresh.</param>
/// <param name="State">The destination pipeline's state.</param>
internal sealed record DemoSnapshot(
    TimeSpan Elapsed,
    long Produced,
    long Consumed,
    long Delivered,
    IReadOnlyDictionary<int, long> RetriedByTier,
    long Held,
    long DeadLettered,
    long InFlight,
    long Lag,
    double EventsPerSecond,
    string State);
