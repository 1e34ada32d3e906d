using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Http;

namespace Delivery.Destinations.Elasticsearch;

/// <summary>
/// Indexes events with the <c>_bulk</c> API: one <c>index</c> or <c>create</c> action line per event (the configured
/// index, <c>_id</c> = the delivery-event-id) followed by the event's JSON object on one line (NDJSON).
/// </summary>
internal sealed class ElasticsearchBulkHandler : BatchHttpHandler<ElasticsearchBulkSettings>
{
    /// <summary>The configuration <c>Type</c> value.</summary>
    public const string TypeName = "ElasticsearchBulk";

    private const int MaxIdBytes = 512;

    public ElasticsearchBulkHandler(HandlerContext<ElasticsearchBulkSettings> context)
        : base(context, context?.Settings.Path, requireObject: true)
    {
    }

    /// <summary>The document id: the delivery-event-id, or its SHA-256 when longer than Elasticsearch's 512 bytes.</summary>
    internal static string DocumentId(string eventId)
        => Encoding.UTF8.GetByteCount(eventId) <= MaxIdBytes
            ? eventId
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(eventId)));

    protected override ReadOnlyMemory<byte> Payload(DeliveryEvent deliveryEvent)
    {
        deliveryEvent.TryGetJson(out var document);
        var buffer = new ArrayBufferWriter<byte>(deliveryEvent.Value.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(Settings.Action);
            writer.WriteString("_index", Settings.Index);
            writer.WriteString("_id", DocumentId(deliveryEvent.EventId));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            // Re-written compactly: a pretty-printed value would break NDJSON.
            document.WriteTo(writer);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenMemory;
    }

    private static ReadOnlyMemory<byte> Body(IReadOnlyList<OutgoingItem> part)
    {
        if (part.Count == 1)
        {
            return part[0].Payload;
        }

        var body = new ArrayBufferWriter<byte>(part.Sum(p => p.Payload.Length));
        foreach (var item in part)
        {
            body.Write(item.Payload.Span);
        }

        return body.WrittenMemory;
    }

    protected override async Task<bool> SendPartAsync(DeliveryBatch batch, IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, CancellationToken cancellationToken)
    {
        using var answer = await Http.SendAsync(Uri, Body(part), "application/x-ndjson", batch.TraceContext, null, cancellationToken).ConfigureAwait(false);
        if (answer.Status is >= 200 and <= 299)
        {
            MapBulk(part, response, await answer.ReadBodyAsync().ConfigureAwait(false), answer.RetryAfter);
            return true;
        }

        return await OtherStatusAsync(answer, part, response).ConfigureAwait(false);
    }

    private void MapBulk(IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, ResponseBody body, TimeSpan? retryAfter)
    {
        if (ParseAnswer(body, "The _bulk answer", "The _bulk answer is not valid JSON.", part, response, null) is not { } document)
        {
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                HttpStatusMapping.SetErrorForAll(response, part, HttpStatusMapping.Malformed("The _bulk answer is not a JSON object."));
                return;
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.False)
            {
                HttpStatusMapping.SetSuccessForAll(response, part, 200);
                return;
            }

            if (!root.TryGetProperty("items", out var itemsElement) || itemsElement.ValueKind != JsonValueKind.Array)
            {
                HttpStatusMapping.SetErrorForAll(response, part, HttpStatusMapping.Malformed("The _bulk answer has errors but no items array."));
                return;
            }

            var items = itemsElement.EnumerateArray().ToArray();
            if (items.Length != part.Count)
            {
                Violation($"_bulk answered {items.Length} items for {part.Count} actions");
            }

            for (var i = 0; i < part.Count && i < items.Length; i++)
            {
                MapItem(items[i], part[i].OriginalIndex, response, retryAfter, i);
            }
        }
    }

    private void MapItem(JsonElement item, int slot, MultiStatusResponse response, TimeSpan? retryAfter, int position)
    {
        JsonElement result = default;
        var found = false;
        if (item.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in item.EnumerateObject())
            {
                result = property.Value;
                found = true;
                break;
            }
        }

        if (!found || result.ValueKind != JsonValueKind.Object
            || !result.TryGetProperty("status", out var statusElement) || statusElement.ValueKind != JsonValueKind.Number
            || !statusElement.TryGetInt32(out var status))
        {
            Violation($"_bulk item {position} has no status");
            return;
        }

        if (status is >= 200 and <= 299)
        {
            response.SetSuccessResponseAtIndex(slot, new ActionDestinationSuccessResponse { Status = status });
            return;
        }

        if (status == 409 && Settings.IsCreate)
        {
            // create + 409 (version_conflict_engine_exception): a document with this _id exists, i.e. an earlier
            // attempt of this very event was indexed.
            response.SetSuccessResponseAtIndex(slot, new ActionDestinationSuccessResponse { Status = 200 });
            return;
        }

        string? type = null;
        string? reason = null;
        if (result.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.Object)
            {
                type = error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                reason = error.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            }
            else if (error.ValueKind == JsonValueKind.String)
            {
                reason = error.GetString();
            }
        }

        var message = (type, reason) switch
        {
            (null, null) => $"HTTP {status}",
            (null, _) => reason!,
            (_, null) => type,
            _ => $"{type}: {reason}",
        };
        response.SetErrorResponseAtIndex(slot, new ActionDestinationErrorResponse
        {
            Status = status,
            ErrorMessage = HttpStatusMapping.Shorten(message),
            RetryAfter = status == 429 || status >= 500 ? retryAfter : null,
        });
    }
}
