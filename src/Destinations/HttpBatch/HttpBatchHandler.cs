using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Http;

namespace Delivery.Destinations.HttpBatch;

/// <summary>
/// Posts <c>{"events":[...]}</c> (field name configurable) to <c>Http.BaseAddress + Settings.Path</c>, each element
/// the record's JSON value, and maps the answer per event (MultiStatus 207 body of the Segment docs).
/// </summary>
internal sealed class HttpBatchHandler : BatchHttpHandler<HttpBatchSettings>
{
    /// <summary>The configuration <c>Type</c> value.</summary>
    public const string TypeName = "HttpBatch";

    private readonly byte[] _bodyPrefix;

    public HttpBatchHandler(HandlerContext<HttpBatchSettings> context)
        : base(context, context?.Settings.Path, requireObject: context?.Settings.EventIdField is not null)
        => _bodyPrefix = Encoding.UTF8.GetBytes($"{{\"{JsonEncodedText.Encode(Settings.EventsField)}\":[");

    protected override ReadOnlyMemory<byte> Payload(DeliveryEvent deliveryEvent)
    {
        if (Settings.EventIdField is not { } field)
        {
            return deliveryEvent.Value;
        }

        var element = JsonNode.Parse(deliveryEvent.Value.Span)!.AsObject();
        element[field] = deliveryEvent.EventId;
        return JsonSerializer.SerializeToUtf8Bytes(element);
    }

    protected override async Task<bool> SendPartAsync(DeliveryBatch batch, IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, CancellationToken cancellationToken)
    {
        var body = RequestBody.JsonArray(_bodyPrefix, part, "]}"u8);
        using var answer = await Http.SendAsync(Uri, body, "application/json", batch.TraceContext, null, cancellationToken).ConfigureAwait(false);
        switch (answer.Status)
        {
            case 207:
                MapMultiStatus(part, response, await answer.ReadBodyAsync().ConfigureAwait(false), answer.RetryAfter);
                return true;
            case >= 200 and <= 299:
                HttpStatusMapping.SetSuccessForAll(response, part, answer.Status);
                return true;
            default:
                return await OtherStatusAsync(answer, part, response).ConfigureAwait(false);
        }
    }

    private void MapMultiStatus(IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, ResponseBody body, TimeSpan? retryAfter)
    {
        if (ParseAnswer(body, "The 207 answer", "The 207 answer is not valid JSON.", part, response, retryAfter) is not { } document)
        {
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || (root.TryGetProperty("errorResponses", out var errors) && errors.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null)))
            {
                HttpStatusMapping.SetErrorForAll(response, part, HttpStatusMapping.Malformed(
                    "The 207 answer is not an object with an errorResponses array.", retryAfter));
                return;
            }

            var named = new Dictionary<int, ActionDestinationErrorResponse>();
            var unusable = new HashSet<int>();
            var stray = false;
            if (errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in errors.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object
                        || !entry.TryGetProperty("index", out var indexElement)
                        || indexElement.ValueKind != JsonValueKind.Number
                        || !indexElement.TryGetInt32(out var index)
                        || index < 0
                        || index >= part.Count)
                    {
                        stray = true;
                        Violation($"errorResponses entry {Shorten(entry)} has no index within the {part.Count} events sent");
                        continue;
                    }

                    if (named.Remove(index) || unusable.Contains(index))
                    {
                        unusable.Add(index);
                        Violation($"errorResponses names index {index} more than once");
                        continue;
                    }

                    if (!entry.TryGetProperty("status", out var statusElement)
                        || statusElement.ValueKind != JsonValueKind.Number
                        || !statusElement.TryGetInt32(out var status)
                        || status is < 100 or > 599 or (>= 200 and <= 299))
                    {
                        unusable.Add(index);
                        Violation($"errorResponses entry for index {index} has no error status");
                        continue;
                    }

                    var message = entry.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String
                        ? HttpStatusMapping.Shorten(messageElement.GetString() ?? string.Empty)
                        : string.Empty;
                    var errorType = entry.TryGetProperty("errortype", out var typeElement) || entry.TryGetProperty("errorType", out typeElement)
                        ? typeElement.ValueKind == JsonValueKind.String && ErrorCodes.IsKnown(typeElement.GetString() ?? string.Empty) ? typeElement.GetString() : null
                        : null;
                    named[index] = new ActionDestinationErrorResponse
                    {
                        Status = status,
                        ErrorType = errorType ?? string.Empty,
                        ErrorMessage = message.Length > 0 ? message : $"HTTP {status}",
                        RetryAfter = retryAfter,
                    };
                }
            }

            // An error we could not place may belong to any event: then no event is assumed delivered.
            var success = new ActionDestinationSuccessResponse { Status = 200 };
            for (var i = 0; i < part.Count; i++)
            {
                if (named.TryGetValue(i, out var error))
                {
                    response.SetErrorResponseAtIndex(part[i].OriginalIndex, error);
                }
                else if (!stray && !unusable.Contains(i))
                {
                    response.SetSuccessResponseAtIndex(part[i].OriginalIndex, success);
                }
            }
        }
    }

    private static string Shorten(JsonElement element) => HttpStatusMapping.Shorten(element.GetRawText());
}
