using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Http;
using Delivery.Destinations.Validation;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations.HttpBatch;

/// <summary>
/// Posts <c>{"events":[...]}</c> (field name configurable) to <c>Http.BaseAddress + Settings.Path</c>, each element
/// the record's JSON value, and maps the answer per event (MultiStatus 207 body of the Segment docs).
/// </summary>
internal sealed class HttpBatchHandler : IDestinationHandler
{
    private readonly DestinationHttpClient _http;
    private readonly HttpBatchSettings _settings;
    private readonly ILogger _logger;
    private readonly DestinationMetrics _metrics;
    private readonly EventPreValidator _validator;
    private readonly Uri _uri;
    private readonly byte[] _bodyPrefix;

    public HttpBatchHandler(DestinationHttpClient http, HttpBatchSettings settings, ILogger logger, DestinationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(settings);
        _http = http;
        _settings = settings;
        _logger = logger;
        _metrics = metrics;
        _validator = new EventPreValidator(requireJson: true, requireObject: settings.EventIdField is not null, settings.RequireAnyOf);
        _uri = http.Resolve(settings.Path);
        _bodyPrefix = Encoding.UTF8.GetBytes($"{{\"{JsonEncodedText.Encode(settings.EventsField)}\":[");
    }

    /// <inheritdoc />
    public async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var response = new MultiStatusResponse(batch.Count);
        var items = OutgoingItem.Prepare(batch, response, _validator.Validate, Payload);

        await PayloadSplitter.SendAsync(
            items,
            (part, ct) => SendPartAsync(batch, part, response, ct),
            response,
            _logger,
            _http.Destination,
            cancellationToken).ConfigureAwait(false);
        return response;
    }

    private ReadOnlyMemory<byte> Payload(DeliveryEvent deliveryEvent)
    {
        if (_settings.EventIdField is not { } field)
        {
            return deliveryEvent.Value;
        }

        var element = JsonNode.Parse(deliveryEvent.Value.Span)!.AsObject();
        element[field] = deliveryEvent.EventId;
        return JsonSerializer.SerializeToUtf8Bytes(element);
    }

    private ReadOnlyMemory<byte> Body(IReadOnlyList<OutgoingItem> part) => RequestBody.JsonArray(_bodyPrefix, part, "]}"u8);

    /// <summary>Sends one request; false when the destination answered 413 (the caller splits).</summary>
    private async Task<bool> SendPartAsync(DeliveryBatch batch, IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, CancellationToken cancellationToken)
    {
        using var answer = await _http.SendAsync(_uri, Body(part), "application/json", batch.TraceContext, null, cancellationToken).ConfigureAwait(false);
        var status = answer.Status;
        switch (status)
        {
            case 413:
                return HttpStatusMapping.TooLarge(_logger, _http.Destination, part.Count);
            case 207:
                MapMultiStatus(part, response, await answer.ReadBodyAsync().ConfigureAwait(false), answer.RetryAfter);
                return true;
            case >= 200 and <= 299:
                HttpStatusMapping.SetSuccessForAll(response, part, status);
                return true;
            case >= 400 and <= 499 when !HttpStatusMapping.IsDestinationLevel(status):
                await HttpStatusMapping.SetRequestErrorForAllAsync(response, part, answer).ConfigureAwait(false);
                return true;
            default:
                // 401, 403, 408, 429, 5xx, and statuses that make no sense here (1xx, 3xx): the destination is unusable.
                throw HttpStatusMapping.Unavailable(_http, answer);
        }
    }

    private void MapMultiStatus(IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, ResponseBody body, TimeSpan? retryAfter)
    {
        if (body.IsTooLarge)
        {
            HttpStatusMapping.SetErrorForAll(response, part, HttpStatusMapping.Malformed(
                $"The 207 answer is larger than Http:MaxResponseBytes ({_http.Options.MaxResponseBytes}).", retryAfter));
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Bytes);
        }
        catch (JsonException)
        {
            HttpStatusMapping.SetErrorForAll(response, part, HttpStatusMapping.Malformed("The 207 answer is not valid JSON.", retryAfter));
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

    private void Violation(string violation)
    {
        DestinationsLog.ContractViolation(_logger, _http.Destination, violation);
        _metrics.ContractViolation(_http.Destination);
    }

    private static string Shorten(JsonElement element) => HttpStatusMapping.Shorten(element.GetRawText());
}
