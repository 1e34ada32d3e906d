namespace Delivery.Worker.Pipeline;

/// <summary>One key of one partition: the offset of its record that is out, and its later records, in order.</summary>
internal sealed class KeyLane
{
    /// <summary>Offset of the record out (in a batch, at the destination, or held for its retry); null when free.</summary>
    public long? Out { get; set; }

    /// <summary>Later records of the key, parked in partition order.</summary>
    public Queue<PendingRecord> Waiting { get; } = new();
}
