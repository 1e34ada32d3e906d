namespace Delivery.Worker.Pipeline;

/// <summary>
/// Worker-wide tuning of the delivery pipelines (<c>Delivery:Pipeline</c>). Every key has a default that suits
/// production; tests shorten the timings.
/// </summary>
internal sealed class PipelineOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Delivery:Pipeline";

    /// <summary>How often resolved offsets are committed. Default 1 s.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a revoke waits for in-flight work of the revoked partitions before it commits and returns. Default 10 s.</summary>
    public TimeSpan RevokeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest one handler call may take; a timeout is a destination-level failure (Hold). Default 60 s.</summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First back-off of a held batch; it doubles on every failed retry. Default 1 s.</summary>
    public TimeSpan HoldInitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest back-off of a held batch, Retry-After included. Default 60 s.</summary>
    public TimeSpan HoldMaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Back-off of a batch held because the endpoint answered 410 Gone (the destination asked to stop sending): the
    /// batch is retried only this often until the endpoint answers again or an operator acts. Default 5 min.
    /// </summary>
    public TimeSpan GoneBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the circuit stays open after it breaks. Default 5 s (at least 0.5 s).</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Share of destination-level failures in the sampling window that opens the circuit. Default 0.5.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling window before the circuit may open. Default 4 (at least 2).</summary>
    public int CircuitMinimumThroughput { get; set; } = 4;

    /// <summary>The circuit's sampling window. Default 30 s.</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First back-off after a failed retry/DLQ produce; it doubles up to <see cref="ProduceRetryMaxBackoff"/>. Default 100 ms.</summary>
    public TimeSpan ProduceRetryInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest back-off between produce retries. Default 5 s.</summary>
    public TimeSpan ProduceRetryMaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the in-flight count may stay at <c>MaxInFlightEvents</c> before every partition is paused. Until then
    /// the consume loop only stops polling and waits for work to complete, which keeps the partitions fetching (a
    /// paused partition takes ~0.5–1 s to deliver records again after a resume). Default 500 ms; 0 pauses at once.
    /// Rebalance callbacks are served only while polling, so keep it short (at most 5 s).
    /// </summary>
    public TimeSpan BackpressureGrace { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long before a retry record's due time (<c>delivery-not-before</c>) its tier partition resumes, so the record
    /// is fetched by then and waits in memory until it is due (a resumed partition takes a fetch round trip, up to
    /// ~0.5–1 s, to deliver again). Records due within this window are taken when read and kept back until due; they
    /// count as in flight. Default 1 s; 0 resumes at the due time; at most 10 s.
    /// </summary>
    public TimeSpan RetryPrefetch { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Split a batch whose handler threw an ordinary exception, to isolate the event that throws. Default true.</summary>
    public bool BisectOnHandlerException { get; set; } = true;
}
