using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Http;

namespace Delivery.Destinations.Nakadi;

/// <summary>
/// Publishes to Nakadi (<c>POST /event-types/{name}/events</c>, a JSON array). Each event is the record's JSON object
/// with <c>metadata</c> added or completed (<c>eid</c> from the delivery-event-id, <c>occurred_at</c> from the source
/// record time). Only 200 is a full success; 207 and 422 are read item by item (Nakadi answers in request order).
/// </summary>
internal sealed class NakadiHandler : BatchHttpHandler<NakadiSettings>
{
    /// <summary>The configuration <c>Type</c> value.</summary>
    public const string TypeName = "Nakadi";

    public NakadiHandler(HandlerContext<NakadiSettings> context)
        : base(context, context?.Settings.EffectivePath, requireObject: true)
    {
    }

    protected override string? Validate(DeliveryEvent deliveryEvent)
    {
        var problem = base.Validate(deliveryEvent);
        if (problem is not null)
        {
            return problem;
        }

        deliveryEvent.TryGetJson(out var json);
        return json.TryGetProperty("metadata", out var metadata) && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)
            ? "The event's metadata must be a JSON object."
            : null;
    }

    /// <summary>The event with metadata.eid and metadata.occurred_at completed (existing values are kept).</summary>
    protected override ReadOnlyMemory<byte> Payload(DeliveryEvent deliveryEvent)
    {
        var root = JsonNode.Parse(deliveryEvent.Value.Span)!.AsObject();
        if (root["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            root["metadata"] = metadata;
        }

        if (metadata["eid"] is not JsonValue eid || !eid.TryGetValue<string>(out var existing) || string.IsNullOrWhiteSpace(existing))
        {
            metadata["eid"] = NakadiEventId.From(deliveryEvent.EventId).ToString("D");
        }

        if (metadata["occurred_at"] is null)
        {
            metadata["occurred_at"] = deliveryEvent.Origin.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    private static KeyValuePair<string, string>[]? FlowId(DeliveryBatch batch)
        => batch.TraceContext.TraceId == default ? null : [new("X-Flow-Id", batch.TraceContext.TraceId.ToHexString())];

    private static ReadOnlyMemory<byte> Body(IReadOnlyList<OutgoingItem> part) => RequestBody.JsonArray("["u8, part, "]"u8);

    protected override Task<bool> SendPartAsync(DeliveryBatch batch, IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, CancellationToken cancellationToken)
        => SendPartAsync(batch, part, response, 0, cancellationToken);

    /// <summary>Sends one request; false when Nakadi (or a proxy) answered 413 (the caller splits).</summary>
    private async Task<bool> SendPartAsync(
        DeliveryBatch batch,
        IReadOnlyList<OutgoingItem> part,
        MultiStatusResponse response,
        int round,
        CancellationToken cancellationToken)
    {
        List<OutgoingItem>? resend;
        using (var answer = await Http.SendAsync(Uri, Body(part), "application/json", batch.TraceContext, FlowId(batch), cancellationToken).ConfigureAwait(false))
        {
            var status = answer.Status;
            switch (status)
            {
                case 200:
                    HttpStatusMapping.SetSuccessForAll(response, part, 200);
                    return true;
                case 207:
                    MapPublishingFailure(part, response, await answer.ReadBodyAsync().ConfigureAwait(false), answer.RetryAfter);
                    return true;
                case 422:
                    resend = MapValidationFailure(part, response, await answer.ReadBodyAsync().ConfigureAwait(false), round);
                    break;
                case 404:
                    // The event type does not exist: nothing of this destination can be published.
                    throw HttpStatusMapping.Unavailable(Http, answer);
                case >= 200 and <= 299:
                    // Never a success: Nakadi confirms publishing with exactly 200.
                    HttpStatusMapping.SetErrorForAll(response, part, HttpStatusMapping.Malformed($"Nakadi answered an unexpected HTTP {status}."));
                    return true;
                default:
                    // 413: split. 400: the body could not be parsed; nothing was published (any other 4xx: that
                    // status). 401, 403 (including a blocked producer), 408, 429, 5xx, 1xx/3xx: unavailable.
                    return await OtherStatusAsync(answer, part, response).ConfigureAwait(false);
            }
        }

        if (resend is { Count: > 0 })
        {
            await SendSplittingAsync(resend, (p, ct) => SendPartAsync(batch, p, response, round + 1, ct), response, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>207: at least one event failed at the publishing step; the others may be submitted.</summary>
    private void MapPublishingFailure(IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, ResponseBody body, TimeSpan? retryAfter)
    {
        var items = ParseItems(part, response, body, 207);
        if (items is null)
        {
            return;
        }

        for (var i = 0; i < part.Count && i < items.Length; i++)
        {
            var (status, step, detail) = Read(items[i]);
            var slot = part[i].OriginalIndex;
            switch (status)
            {
                case "submitted":
                    response.SetSuccessResponseAtIndex(slot, new ActionDestinationSuccessResponse { Status = 200 });
                    break;
                case "failed":
                    response.SetErrorResponseAtIndex(slot, new ActionDestinationErrorResponse
                    {
                        Status = 500,
                        ErrorMessage = $"Nakadi failed to publish the event (step {step}): {detail}",
                        RetryAfter = retryAfter,
                    });
                    break;
                case "aborted":
                    response.SetErrorResponseAtIndex(slot, Aborted("Nakadi aborted the event (not attempted).", retryAfter));
                    break;
                default:
                    Violation($"item {i} of a 207 has publishing_status '{status}'");
                    break;
            }
        }
    }

    /// <summary>
    /// 422: the failed events are invalid (non-retryable); nothing was published. Returns the aborted events to
    /// resend at once (without the failed ones), or null when there is nothing (more) to resend.
    /// </summary>
    private List<OutgoingItem>? MapValidationFailure(IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, ResponseBody body, int round)
    {
        if (!body.IsTooLarge && TryProblem(body.Bytes!, out var problem))
        {
            // A Problem instead of item results (e.g. invalid partition key fields): the whole request is invalid.
            HttpStatusMapping.SetErrorForAll(response, part, new ActionDestinationErrorResponse { Status = 422, ErrorMessage = $"HTTP 422: {problem}" });
            return null;
        }

        var items = ParseItems(part, response, body, 422);
        if (items is null)
        {
            return null;
        }

        var aborted = new List<OutgoingItem>();
        var failed = 0;
        for (var i = 0; i < part.Count && i < items.Length; i++)
        {
            var (status, step, detail) = Read(items[i]);
            var slot = part[i].OriginalIndex;
            switch (status)
            {
                case "failed":
                    failed++;
                    response.SetErrorResponseAtIndex(slot, new ActionDestinationErrorResponse
                    {
                        Status = 422,
                        ErrorType = ErrorCodes.PayloadValidationFailed,
                        ErrorMessage = $"Nakadi rejected the event (step {step}): {detail}",
                    });
                    break;
                case "aborted":
                    aborted.Add(part[i]);
                    break;
                case "submitted":
                    response.SetSuccessResponseAtIndex(slot, new ActionDestinationSuccessResponse { Status = 200 });
                    break;
                default:
                    Violation($"item {i} of a 422 has publishing_status '{status}'");
                    break;
            }
        }

        if (aborted.Count == 0)
        {
            return null;
        }

        if (failed > 0 && round < Settings.MaxResendRounds)
        {
            DestinationsLog.ResendingAborted(Logger, Http.Destination, failed, aborted.Count, round + 1);
            return aborted;
        }

        DestinationsLog.ResendRoundsExhausted(Logger, Http.Destination, aborted.Count, round);
        foreach (var item in aborted)
        {
            response.SetErrorResponseAtIndex(item.OriginalIndex, Aborted(
                $"Nakadi aborted the event because another event was invalid; still aborted after {round} resend rounds.", null));
        }

        return null;
    }

    private static ActionDestinationErrorResponse Aborted(string message, TimeSpan? retryAfter) => new()
    {
        Status = 500,
        ErrorType = ErrorCodes.RetryableError,
        ErrorMessage = message,
        RetryAfter = retryAfter,
    };

    /// <summary>The BatchItemResponse array, or null after marking every slot MALFORMED_RESPONSE.</summary>
    private JsonElement[]? ParseItems(IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, ResponseBody body, int status)
    {
        var notItems = $"Nakadi's {status} answer is not a JSON array of item results.";
        if (ParseAnswer(body, $"Nakadi's {status} answer", notItems, part, response, null) is not { } document)
        {
            return null;
        }

        JsonElement root;
        using (document)
        {
            root = document.RootElement.Clone();
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            HttpStatusMapping.SetErrorForAll(response, part, HttpStatusMapping.Malformed(notItems));
            return null;
        }

        var items = root.EnumerateArray().ToArray();
        if (items.Length != part.Count)
        {
            Violation($"a {status} lists {items.Length} items for {part.Count} events sent");
        }

        return items;
    }

    private static (string Status, string Step, string Detail) Read(JsonElement item)
    {
        static string Text(JsonElement item, string name)
            => item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() ?? string.Empty
                : string.Empty;

        var detail = Text(item, "detail");
        return (Text(item, "publishing_status"), Text(item, "step") is { Length: > 0 } step ? step : "none", HttpStatusMapping.Shorten(detail.Length > 0 ? detail : "(no detail)"));
    }

    private static bool TryProblem(byte[] body, out string detail)
    {
        detail = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            detail = HttpStatusMapping.ExtractDetail(document.RootElement) ?? "(no detail)";
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
