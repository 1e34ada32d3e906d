using System.Text;

namespace Delivery.Worker.Dlq;

/// <summary>Plain-text rendering of the DLQ tools' results.</summary>
internal static class DlqText
{
    /// <summary>The inspect report.</summary>
    public static string Inspection(DlqInspection inspection)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var text = new StringBuilder();
        Line(text, $"{inspection.Topic} (destination {inspection.Destination}): {inspection.Total} record(s)");
        Counts(text, "by reason", inspection.ByReason);
        Counts(text, "by status", inspection.ByStatus);
        Counts(text, "by error type", inspection.ByErrorType);
        if (inspection.Unreadable > 0)
        {
            Line(text, $"unreadable delivery headers: {inspection.Unreadable}");
        }

        if (inspection.Newest.Count > 0)
        {
            Line(text, $"newest {inspection.Newest.Count}:");
            foreach (var r in inspection.Newest)
            {
                Line(text, $"- {r.Partition}@{r.Offset} {r.DeadLetteredAt:yyyy-MM-ddTHH:mm:ss.fffZ} {r.Reason} {r.Status} {r.ErrorType} event {r.EventId} attempt {r.Attempt} redriven {r.RedriveCount}");
                if (r.ErrorMessage is { Length: > 0 } message)
                {
                    Line(text, $"    error: {message}");
                }

                if (r.Problem is not null)
                {
                    Line(text, $"    headers: {r.Problem}");
                }

                Line(text, $"    origin: {r.OriginalTopic}[{r.OriginalPartition}]@{r.OriginalOffset}");
                foreach (var (key, value) in r.Headers.Where(static h => h.Key is not Kafka.DeliveryHeaders.ErrorBody))
                {
                    Line(text, $"    {key}: {value}");
                }

                Line(text, $"    key: {r.Key ?? "(null)"}");
                Line(text, $"    value: {r.Value}");
            }
        }

        return text.ToString();
    }

    /// <summary>The redrive summary.</summary>
    public static string Redrive(DlqSession session, RedriveResult result)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        if (result.DryRun)
        {
            foreach (var r in result.Sample)
            {
                Line(text, $"would redrive {r.Partition}@{r.Offset} {r.Reason} {r.Status} {r.ErrorType} event {r.EventId} (redriven {r.RedriveCount})");
            }
        }

        var verb = result.DryRun ? "dry run, would redrive" : "redriven";
        Line(text, $"{session.Topic} → {session.RetryTopic}: examined {result.Examined}, matched {result.Matched}, {verb} {result.Redriven}, refused past MaxRedrives {result.Refused}, unreadable {result.Unreadable}, remaining {result.Remaining}");
        if (result.Refused > 0)
        {
            Line(text, $"{result.Refused} record(s) were redriven {session.Options.DeadLetter.MaxRedrives} time(s) already (DeadLetter:MaxRedrives); use --force to redrive them anyway");
        }

        return text.ToString();
    }

    private static void Counts(StringBuilder text, string title, IReadOnlyDictionary<string, long> counts) =>
        Line(text, $"{title}: {(counts.Count == 0 ? "-" : string.Join(", ", counts.Select(static c => $"{c.Key} {c.Value}")))}");

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

}
