using System.Diagnostics;
using Delivery.Worker.Telemetry;

namespace Delivery.Worker.Pipeline;

/// <summary>The consumer span of one batch delivery, linked to the traces of (at most 128 of) its events.</summary>
internal static class DeliveryActivity
{
    private const int MaxLinks = 128;
    private static readonly ActivitySource Source = new(DeliveryMetrics.ActivitySourceName);

    /// <summary>Starts the span, or null when nobody listens.</summary>
    public static Activity? Start(string destination, string consumerGroup, List<PendingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!Source.HasListeners())
        {
            return null;
        }

        List<ActivityLink>? links = null;
        foreach (var record in records)
        {
            if (record.Event.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var context))
            {
                links ??= [];
                links.Add(new ActivityLink(context));
                if (links.Count >= MaxLinks)
                {
                    break;
                }
            }
        }

        var activity = Source.StartActivity(ActivityKind.Consumer, parentContext: default, links: links, name: $"deliver {destination}");
        activity?.SetTag("delivery.destination", destination);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.consumer.group.name", consumerGroup);
        activity?.SetTag("messaging.batch.message_count", records.Count);
        return activity;
    }
}
