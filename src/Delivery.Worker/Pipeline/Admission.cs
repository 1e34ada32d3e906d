namespace Delivery.Worker.Pipeline;

/// <summary>Whether a consumed record of a partition may be taken.</summary>
internal enum Admission
{
    /// <summary>Take it.</summary>
    Accept,

    /// <summary>The partition waits for a not-yet-due record: drop it (it is read again after the seek back).</summary>
    Ignore,

    /// <summary>
    /// It is later than the record the partition was sought back to: the seek was lost. Never skip the deferred
    /// record: defer it again (seek back, resume once the seek took effect).
    /// </summary>
    SeekLost,

    /// <summary>Already tracked (a rewind after a seek or a rebalance): drop it.</summary>
    Rewind,
}
