namespace Delivery.Worker.Dlq;

/// <summary>What <c>dlq inspect</c> reports (also its <c>--json</c> shape).</summary>
/// <param name="Destination">Destination name.</param>
/// <param name="Topic">Dead-letter topic.</param>
/// <param name="Total">Records in the topic (from the low watermarks).</param>
/// <param name="ByReason">Counts by <c>delivery-dlq-reason</c>.</param>
/// <param name="ByStatus">Counts by last error status.</param>
/// <param name="ByErrorType">Counts by last error type.</param>
/// <param name="Unreadable">Records whose delivery headers could not be decoded.</param>
/// <param name="Newest">The newest records, newest first.</param>
internal sealed record DlqInspection(
    string Destination,
    string Topic,
    long Total,
    IReadOnlyDictionary<string, long> ByReason,
    IReadOnlyDictionary<string, long> ByStatus,
    IReadOnlyDictionary<string, long> ByErrorType,
    long Unreadable,
    IReadOnlyList<DlqRecordView> Newest);
