namespace Delivery.Worker.Dlq;

/// <summary>Which dead-lettered records a redrive takes (every set criterion must match; unset ones match all).</summary>
internal sealed record DlqFilter
{
    /// <summary>DLQ reasons (NonRetryable, RetriesExhausted, MaxAgeExceeded, MalformedRetryRecord), case-insensitive.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Last error statuses.</summary>
    public IReadOnlyList<int> Statuses { get; init; } = [];

    /// <summary>Last error types (e.g. BAD_REQUEST), case-insensitive.</summary>
    public IReadOnlyList<string> ErrorTypes { get; init; } = [];

    /// <summary>Dead-lettered at or after.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Dead-lettered before.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>True when <paramref name="record"/> matches.</summary>
    public bool Matches(DlqRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Reasons.Count > 0 && !Reasons.Contains(record.Reason, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Statuses.Count > 0 && (record.Headers?.Error is not { } error || !Statuses.Contains(error.Status)))
        {
            return false;
        }

        if (ErrorTypes.Count > 0 && !ErrorTypes.Contains(record.ErrorType, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Since is { } since && record.DeadLetteredAt < since)
        {
            return false;
        }

        return Until is not { } until || record.DeadLetteredAt < until;
    }
}
