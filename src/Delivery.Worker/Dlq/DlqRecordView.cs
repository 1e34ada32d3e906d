namespace Delivery.Worker.Dlq;

/// <summary>One dead-lettered record as shown by <c>dlq inspect</c>: decoded headers, key and value truncated.</summary>
/// <param name="Partition">Partition.</param>
/// <param name="Offset">Offset.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered.</param>
/// <param name="EventId">delivery-event-id.</param>
/// <param name="Reason">delivery-dlq-reason.</param>
/// <param name="Status">Last error status.</param>
/// <param name="ErrorType">Last error type.</param>
/// <param name="ErrorMessage">Last error message.</param>
/// <param name="Attempt">Attempts made.</param>
/// <param name="RedriveCount">Times redriven.</param>
/// <param name="OriginalTopic">Where it was first seen.</param>
/// <param name="OriginalPartition">Partition it was first seen on.</param>
/// <param name="OriginalOffset">Offset it was first seen at.</param>
/// <param name="Headers">Every header, values as text (delivery-error-body truncated).</param>
/// <param name="Key">Key as text, truncated.</param>
/// <param name="Value">Value as text, truncated.</param>
/// <param name="Problem">Why the headers could not be decoded, or null.</param>
internal sealed record DlqRecordView(
    int Partition,
    long Offset,
    DateTimeOffset DeadLetteredAt,
    string? EventId,
    string Reason,
    string Status,
    string ErrorType,
    string? ErrorMessage,
    int? Attempt,
    int RedriveCount,
    string? OriginalTopic,
    int? OriginalPartition,
    long? OriginalOffset,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Key,
    string Value,
    string? Problem);
