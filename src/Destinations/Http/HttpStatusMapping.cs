using System.Text;
using System.Text.Json;
using Delivery.Core.MultiStatus;
using Microsoft.Extensions.Logging;

namespace Delivery.Destinations.Http;

/// <summary>Whole-request status helpers shared by every handler.</summary>
internal static class HttpStatusMapping
{
    private const int MaxDetailLength = 300;

    /// <summary>
    /// True for statuses that say the destination as a whole cannot take the request now:
    /// 401, 403, 408, 429 and every 5xx. Handlers throw <see cref="DestinationUnavailableException"/> for them.
    /// </summary>
    public static bool IsDestinationLevel(int status) => status is 401 or 403 or 408 or 429 or >= 500;

    /// <summary>The exception for a destination-level whole-request status (no body content: it may echo secrets).</summary>
    public static DestinationUnavailableException Unavailable(DestinationHttpClient http, DestinationHttpResponse response)
        => new($"Destination '{http.Destination}' answered HTTP {response.Status} for the whole request.", response.Status, response.RetryAfter);

    /// <summary>A retryable <see cref="ErrorCodes.MalformedResponse"/> error (status 500).</summary>
    public static ActionDestinationErrorResponse Malformed(string message, TimeSpan? retryAfter = null) => new()
    {
        Status = 500,
        ErrorType = ErrorCodes.MalformedResponse,
        ErrorMessage = message,
        RetryAfter = retryAfter,
    };

    /// <summary>The non-retryable error for a single event the destination still rejects with 413.</summary>
    public static ActionDestinationErrorResponse PayloadTooLarge(int bytes) => new()
    {
        Status = 413,
        ErrorType = ErrorCodes.PayloadTooLarge,
        ErrorMessage = $"The destination rejected this event alone as too large (413, {bytes} bytes).",
    };

    /// <summary>Sets the same error on every item's original slot.</summary>
    public static void SetErrorForAll(MultiStatusResponse response, IEnumerable<OutgoingItem> items, ActionDestinationErrorResponse error)
    {
        foreach (var item in items)
        {
            response.SetErrorResponseAtIndex(item.OriginalIndex, error);
        }
    }

    /// <summary>
    /// Records a whole-request 4xx that is not destination-level as that status (with the API's detail and
    /// Retry-After) for every item of the request.
    /// </summary>
    public static async Task SetRequestErrorForAllAsync(MultiStatusResponse response, IReadOnlyList<OutgoingItem> items, DestinationHttpResponse answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var body = await answer.ReadBodyAsync().ConfigureAwait(false);
        SetErrorForAll(response, items, new ActionDestinationErrorResponse
        {
            Status = answer.Status,
            ErrorMessage = Describe(answer.Status, body),
            RetryAfter = answer.RetryAfter,
        });
    }

    /// <summary>A 413 for a request of <paramref name="count"/> items: logs the split and returns false (the caller splits).</summary>
    public static bool TooLarge(ILogger logger, string destination, int count)
    {
        if (count > 1)
        {
            DestinationsLog.SplittingTooLarge(logger, destination, count);
        }

        return false;
    }

    /// <summary>Sets a success with <paramref name="status"/> on every item's original slot.</summary>
    public static void SetSuccessForAll(MultiStatusResponse response, IEnumerable<OutgoingItem> items, int status)
    {
        var success = new ActionDestinationSuccessResponse { Status = status };
        foreach (var item in items)
        {
            response.SetSuccessResponseAtIndex(item.OriginalIndex, success);
        }
    }

    /// <summary>
    /// A short, safe description of an error answer: <c>HTTP {status}</c> plus the first of the JSON fields
    /// <c>detail</c>, <c>message</c>, <c>title</c>, <c>error</c> (as text) when the body is JSON. Raw non-JSON bodies
    /// (HTML error pages that might echo request headers) are never copied.
    /// </summary>
    public static string Describe(int status, ResponseBody body)
    {
        var detail = body.Bytes is { Length: > 0 } bytes ? ExtractDetail(bytes) : null;
        return detail is null ? $"HTTP {status}" : $"HTTP {status}: {detail}";
    }

    /// <summary>The first text field named detail/message/title/error/reason of a JSON object, shortened.</summary>
    public static string? ExtractDetail(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            return ExtractDetail(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first text field named detail/message/title/error/reason of a JSON object, shortened.</summary>
    public static string? ExtractDetail(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["detail", "message", "title", "error", "reason"])
        {
            if (!element.TryGetProperty(name, out var value))
            {
                continue;
            }

            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Object => ExtractDetail(value) ?? value.GetRawText(),
                _ => value.GetRawText(),
            };
            if (!string.IsNullOrWhiteSpace(text))
            {
                return Shorten(text);
            }
        }

        return null;
    }

    /// <summary>Cuts <paramref name="text"/> to a header-friendly length and removes control characters.</summary>
    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, MaxDetailLength));
        foreach (var c in text)
        {
            if (builder.Length >= MaxDetailLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }
}
