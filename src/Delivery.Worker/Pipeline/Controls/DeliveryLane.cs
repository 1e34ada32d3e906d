namespace Delivery.Worker.Pipeline.Controls;

/// <summary>The lane of a batch: first attempts (source topics) or retries (retry-tier topics).</summary>
internal enum DeliveryLane
{
    /// <summary>Records from the source topics.</summary>
    First,

    /// <summary>Records from the retry-tier topics.</summary>
    Retry,
}
