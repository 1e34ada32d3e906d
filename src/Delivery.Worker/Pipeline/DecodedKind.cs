namespace Delivery.Worker.Pipeline;

/// <summary>What a consumed record turned out to be.</summary>
internal enum DecodedKind
{
    /// <summary>An event ready for delivery.</summary>
    Ready,

    /// <summary>A retry record whose delivery headers cannot be parsed: it goes to the DLQ (MalformedRetryRecord).</summary>
    Malformed,

    /// <summary>A retry record whose <c>delivery-not-before</c> is still ahead.</summary>
    NotYetDue,
}
