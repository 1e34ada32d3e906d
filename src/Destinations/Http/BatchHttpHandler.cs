using System.Text.Json;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Destinations.Http;

/// <summary>
/// The shape the batch APIs (HttpBatch, Nakadi, ElasticsearchBulk) share: pre-validate and prepare each event's
/// payload, send them in requests that are split in halves on 413, and treat the whole-request statuses that every
/// API means alike the same way. Each API keeps its own table for the statuses it defines.
/// </summary>
/// <typeparam name="TSettings">The type's settings class.</typeparam>
internal abstract class BatchHttpHandler<TSettings> : HttpDestinationHandler<TSettings>
    where TSettings : class, IDestinationSettings
{
    protected BatchHttpHandler(HandlerContext<TSettings> context, string? path, bool requireObject)
        : base(context, path, requireJson: true, requireObject)
    {
    }

    /// <inheritdoc />
    public sealed override async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var response = new MultiStatusResponse(batch.Count);
        var items = OutgoingItem.Prepare(batch, response, Validate, Payload);
        await SendSplittingAsync(items, (part, ct) => SendPartAsync(batch, part, response, ct), response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>Why <paramref name="deliveryEvent"/> cannot be sent, or null (default: the pre-validation).</summary>
    protected virtual string? Validate(DeliveryEvent deliveryEvent) => Validator.Validate(deliveryEvent);

    /// <summary>The bytes of one event inside the request body.</summary>
    protected abstract ReadOnlyMemory<byte> Payload(DeliveryEvent deliveryEvent);

    /// <summary>Sends one request; false when the destination answered 413 (the caller splits).</summary>
    protected abstract Task<bool> SendPartAsync(DeliveryBatch batch, IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="items"/> with <paramref name="sendPart"/>, splitting in halves on 413 down to single events.</summary>
    protected Task SendSplittingAsync(
        IReadOnlyList<OutgoingItem> items,
        Func<IReadOnlyList<OutgoingItem>, CancellationToken, Task<bool>> sendPart,
        MultiStatusResponse response,
        CancellationToken cancellationToken)
        => PayloadSplitter.SendAsync(items, sendPart, response, Logger, Http.Destination, cancellationToken);

    /// <summary>
    /// The whole-request statuses outside an API's own table: 413 → false (split); any other 4xx that is not
    /// destination-level → that status for every event of the request; anything else (401, 403, 408, 429, 5xx, and
    /// 1xx/3xx, which make no sense here) → <see cref="DestinationUnavailableException"/>: the destination is unusable now.
    /// </summary>
    protected async Task<bool> OtherStatusAsync(DestinationHttpResponse answer, IReadOnlyList<OutgoingItem> part, MultiStatusResponse response)
    {
        var status = answer.Status;
        if (status == 413)
        {
            return HttpStatusMapping.TooLarge(Logger, Http.Destination, part.Count);
        }

        if (status is >= 400 and <= 499 && !HttpStatusMapping.IsDestinationLevel(status))
        {
            await HttpStatusMapping.SetRequestErrorForAllAsync(response, part, answer).ConfigureAwait(false);
            return true;
        }

        throw HttpStatusMapping.Unavailable(Http, answer);
    }

    /// <summary>
    /// The answer body as JSON, or null after giving every event of the request a retryable MALFORMED_RESPONSE:
    /// when the body is larger than <c>Http:MaxResponseBytes</c>, or not JSON (<paramref name="notJson"/>).
    /// <paramref name="answer"/> names the answer in those messages, e.g. <c>The 207 answer</c>.
    /// </summary>
    protected JsonDocument? ParseAnswer(ResponseBody body, string answer, string notJson, IReadOnlyList<OutgoingItem> part, MultiStatusResponse response, TimeSpan? retryAfter)
    {
        if (body.IsTooLarge)
        {
            HttpStatusMapping.SetErrorForAll(response, part, HttpStatusMapping.Malformed(
                $"{answer} is larger than Http:MaxResponseBytes ({Http.Options.MaxResponseBytes}).", retryAfter));
            return null;
        }

        try
        {
            return JsonDocument.Parse(body.Bytes);
        }
        catch (JsonException)
        {
            HttpStatusMapping.SetErrorForAll(response, part, HttpStatusMapping.Malformed(notJson, retryAfter));
            return null;
        }
    }
}
