namespace Delivery.Worker.Tests.Process.Fleet;

/// <summary>One event received by the destination: its id, the replica that sent it, when (Stopwatch timestamp).</summary>
internal sealed record FleetReceipt(string Id, string Replica, long At)
{
    /// <summary>The source partition, encoded in the id (<c>p{partition}-{sequence}</c>).</summary>
    public int Partition => FleetProducer.PartitionOf(Id);
}
