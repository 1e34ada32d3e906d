using System.Globalization;
using System.Text;

namespace Delivery.Worker.Demo;

/// <summary>
/// The demo's final numbers. Delivered comes from the worker's metrics; dead-lettered and still pending are read
/// back from Kafka after the worker stopped (records in the dead-letter topic; committed-offset lag of the source
/// and retry topics), so the check <c>produced = delivered + dead-lettered + still pending</c> compares independent counts.
/// </summary>
/// <param name="Elapsed">How long the demo ran.</param>
/// <param name="Produced">Events the generator got acknowledged.</param>
/// <param name="Delivered">Events the worker delivered.</param>
/// <param name="ApiAccepted">Distinct events the demo API accepted.</param>
/// <param name="DeadLettered">Records in the dead-letter topic.</param>
/// <param name="PendingSource">Source-topic records not committed by the worker's group.</param>
/// <param name="PendingRetry">Retry-topic records not committed by the worker's group.</param>
/// <param name="RetriedByTier">Records sent to each retry tier.</param>
/// <param name="Held">Events in held batches.</param>
internal sealed record DemoSummary(
    TimeSpan Elapsed,
    long Produced,
    long Delivered,
    long ApiAccepted,
    long DeadLettered,
    long PendingSource,
    long PendingRetry,
    IReadOnlyDictionary<int, long> RetriedByTier,
    long Held)
{
    /// <summary>Still pending: not yet consumed, or waiting on a retry tier.</summary>
    public long Pending => PendingSource + PendingRetry;

    /// <summary>True when produced = delivered + dead-lettered + still pending.</summary>
    public bool AddsUp => Produced == Delivered + DeadLettered + Pending;

    /// <summary>The summary as plain lines.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        var retried = RetriedByTier.Values.Sum();
        var tiers = RetriedByTier.Count == 0 ? "none" : string.Join(", ", RetriedByTier.Select(static t => $"tier {t.Key}: {t.Value}"));
        Line(text, $"summary after {Elapsed:hh\\:mm\\:ss}");
        Line(text, $"produced: {Produced}");
        Line(text, $"delivered: {Delivered} (demo API accepted {ApiAccepted} distinct events)");
        Line(text, $"dead-lettered: {DeadLettered}");
        Line(text, $"still pending: {Pending} (source topic {PendingSource}, retry topics {PendingRetry})");
        Line(text, $"retried: {retried} ({tiers})");
        Line(text, $"held: {Held}");
        Line(text, $"check: produced {Produced} = delivered {Delivered} + dead-lettered {DeadLettered} + still pending {Pending}: {(AddsUp ? "OK" : $"MISMATCH by {Produced - Delivered - DeadLettered - Pending}")}");
        return text.ToString();
    }

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
