namespace Delivery.Worker.Tests.Process.Fleet;

/// <summary>Where the produced events ended: every one received (none missing), and how many receipts were duplicates.</summary>
internal sealed record FleetLedger(int Produced, IReadOnlyList<string> Missing, int Unexpected, int Duplicates, long ProduceFailures)
{
    public override string ToString()
        => $"produced {Produced}, missing {Missing.Count}{(Missing.Count > 0 ? $" (e.g. {string.Join(",", Missing.Take(5))})" : string.Empty)}, unexpected {Unexpected}, duplicates {Duplicates}, produce failures {ProduceFailures}";
}
