using System.Text;

namespace Delivery.Worker.Dlq;

/// <summary>Reads a whole dead-letter topic and summarises it.</summary>
internal static class DlqInspector
{
    /// <summary>Longest key/value/header text shown per record.</summary>
    public const int MaxShownChars = 200;

    /// <summary>Counts and the newest <paramref name="newest"/> records of the session's dead-letter topic.</summary>
    public static DlqInspection Inspect(DlqSession session, int newest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var byReason = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var byStatus = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var latest = new List<DlqRecord>();
        long total = 0;
        long unreadable = 0;
        var partitions = session.Watermarks();
        foreach (var result in DlqTopicReader.Read(session.Consumer, partitions, static _ => 0, session.Timeout, cancellationToken))
        {
            var record = DlqRecord.From(result);
            total++;
            if (record.Headers is null)
            {
                unreadable++;
            }

            Increment(byReason, record.Reason);
            Increment(byStatus, record.Status);
            Increment(byType, record.ErrorType);
            latest.Add(record);
            if (latest.Count > newest * 4 + 64)
            {
                Trim(latest, newest);
            }
        }

        Trim(latest, newest);
        return new DlqInspection(session.Destination, session.Topic, total, byReason, byStatus, byType, unreadable, [.. latest.Select(View)]);
    }

    /// <summary>The shown form of a record.</summary>
    public static DlqRecordView View(DlqRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var h = record.Headers;
        var headers = (record.Message.Headers ?? [])
            .Select(x => new KeyValuePair<string, string>(x.Key, Text(x.GetValueBytes())))
            .ToArray();
        return new DlqRecordView(
            record.Partition,
            record.Offset,
            record.DeadLetteredAt,
            h?.EventId,
            record.Reason,
            record.Status,
            record.ErrorType,
            h?.Error?.Message,
            h?.Attempt,
            record.RedriveCount,
            h?.Origin.Topic,
            h?.Origin.Partition,
            h?.Origin.Offset,
            headers,
            record.Message.Key is null ? null : Text(record.Message.Key),
            Text(record.Message.Value),
            record.Problem);
    }

    /// <summary>Bytes as UTF-8 text cut to <see cref="MaxShownChars"/>, or a hex preview when they are not text.</summary>
    public static string Text(byte[]? bytes)
    {
        if (bytes is null)
        {
            return string.Empty;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            var preview = Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, MaxShownChars / 2));
            return $"0x{preview}{(bytes.Length > MaxShownChars / 2 ? "…" : string.Empty)} ({bytes.Length} bytes, not UTF-8)";
        }

        return text.Length <= MaxShownChars ? text : $"{text[..MaxShownChars]}… ({bytes.Length} bytes)";
    }

    private static void Increment(SortedDictionary<string, long> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;

    private static void Trim(List<DlqRecord> records, int keep)
    {
        records.Sort(static (a, b) => b.DeadLetteredAt != a.DeadLetteredAt
            ? b.DeadLetteredAt.CompareTo(a.DeadLetteredAt)
            : (b.Partition, b.Offset).CompareTo((a.Partition, a.Offset)));
        if (records.Count > keep)
        {
            records.RemoveRange(keep, records.Count - keep);
        }
    }
}
