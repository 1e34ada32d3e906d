using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Http;

namespace Delivery.Destinations.Webhook;

/// <summary>
/// One POST per event (the record value, byte for byte), at most <c>Settings:MaxParallel</c> at a time, with the
/// delivery-event-id in <c>X-Delivery-Event-Id</c> and <c>webhook-id</c>, the attempt time in <c>webhook-timestamp</c>,
/// and, with a secret, a Standard Webhooks <c>webhook-signature</c> or an <c>X-Signature</c>. Each answer fills its
/// slot; <c>410 Gone</c> stops the batch with <see cref="DestinationGoneException"/>.
/// </summary>
internal sealed class WebhookHandler : HttpDestinationHandler<WebhookSettings>
{
    /// <summary>The configuration <c>Type</c> value.</summary>
    public const string TypeName = "Webhook";

    /// <summary>Header carrying the delivery-event-id.</summary>
    public const string EventIdHeader = "X-Delivery-Event-Id";

    /// <summary>Header carrying the body signature of the XSignature scheme.</summary>
    public const string SignatureHeader = "X-Signature";

    private readonly FileSecret? _secret;
    private Secrets? _secrets;

    public WebhookHandler(HandlerContext<WebhookSettings> context)
        : base(context, context?.Settings.Path, requireJson: false, requireObject: false)
        => _secret = string.IsNullOrWhiteSpace(Settings.SignatureSecretFile) ? null : new FileSecret(Settings.SignatureSecretFile);

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static string Signature(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body)
        => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <inheritdoc />
    public override async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var response = new MultiStatusResponse(batch.Count);
        var validated = ValidatedBatch.Create(batch, response, Validator.Validate);
        if (validated.Valid.Count == 0)
        {
            return response;
        }

        var secrets = ReadSecrets();
        var outcomes = new Outcome[validated.Valid.Count];
        var gone = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Settings.MaxParallel, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, validated.Valid.Count), options, async (i, ct) =>
        {
            // Once the endpoint said 410 Gone, nothing more of this batch is sent to it.
            if (Volatile.Read(ref gone) != 0)
            {
                return;
            }

            outcomes[i] = await SendOneAsync(batch, validated.Valid[i], validated.ToOriginalIndex(i), secrets, response, ct).ConfigureAwait(false);
            if (outcomes[i].Status == 410)
            {
                Interlocked.Exchange(ref gone, 1);
            }
        }).ConfigureAwait(false);

        if (gone != 0)
        {
            var endpoint = Uri.GetLeftPart(UriPartial.Authority);
            DestinationsLog.EndpointGone(Logger, Http.Destination, endpoint);
            throw new DestinationGoneException(
                $"Destination '{Http.Destination}': the webhook endpoint {endpoint} answered 410 Gone (stop sending); the batch is held until the endpoint answers again or an operator acts.",
                endpoint,
                outcomes.Where(o => o.Status == 410).Max(o => o.RetryAfter));
        }

        // Every request failed at connection level or with a destination-level status: the webhook is down, not
        // these events (DESIGN.md §4 Hold).
        if (Array.TrueForAll(outcomes, o => o.DestinationLevel))
        {
            var first = outcomes[0];
            var statuses = outcomes.Select(o => o.Status).Distinct().ToArray();
            throw new DestinationUnavailableException(
                $"Destination '{Http.Destination}': all {outcomes.Length} webhook requests failed ({first.Message}).",
                statuses.Length == 1 ? statuses[0] : null,
                outcomes.Max(o => o.RetryAfter),
                first.Exception);
        }

        return response;
    }

    /// <summary>The secrets of this batch (parsed again only when the file changed), or null without a secret file.</summary>
    private Secrets? ReadSecrets()
    {
        if (_secret is null)
        {
            return null;
        }

        string content;
        try
        {
            content = _secret.Read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DestinationUnavailableException(
                $"Destination '{Http.Destination}': the signature secret file (Settings:SignatureSecretFile) could not be read.", null, null, ex);
        }

        if (_secrets is { } cached && ReferenceEquals(cached.Content, content))
        {
            return cached;
        }

        var scheme = Settings.SignatureScheme;
        var standard = WebhookSignatureSchemes.Is(scheme, WebhookSignatureSchemes.StandardWebhooks)
            || (WebhookSignatureSchemes.Is(scheme, WebhookSignatureSchemes.Auto) && content.StartsWith(StandardWebhooksSignature.SecretPrefix, StringComparison.Ordinal));
        Secrets parsed;
        if (!standard)
        {
            parsed = new Secrets(content, Encoding.UTF8.GetBytes(content), null);
        }
        else if (StandardWebhooksSignature.TryParseSecrets(content, out var keys))
        {
            parsed = new Secrets(content, null, keys);
        }
        else
        {
            throw new DestinationUnavailableException(
                $"Destination '{Http.Destination}': the signature secret file (Settings:SignatureSecretFile) must hold one or more whitespace-separated {StandardWebhooksSignature.SecretPrefix}<base64> secrets for the StandardWebhooks scheme.");
        }

        _secrets = parsed;
        return parsed;
    }

    private async Task<Outcome> SendOneAsync(DeliveryBatch batch, DeliveryEvent deliveryEvent, int slot, Secrets? secrets, MultiStatusResponse response, CancellationToken cancellationToken)
    {
        var id = deliveryEvent.EventId;
        var timestamp = Http.Time.GetUtcNow().ToUnixTimeSeconds();
        var headers = new List<KeyValuePair<string, string>>(4)
        {
            new(EventIdHeader, id),
            new(StandardWebhooksSignature.IdHeader, id),
            new(StandardWebhooksSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)),
        };
        if (secrets?.XSignatureKey is { } key)
        {
            headers.Add(new(SignatureHeader, Signature(key, deliveryEvent.Value.Span)));
        }
        else if (secrets?.StandardKeys is { } keys)
        {
            headers.Add(new(StandardWebhooksSignature.SignatureHeader, StandardWebhooksSignature.Header(keys, id, timestamp, deliveryEvent.Value.Span)));
        }

        DestinationHttpResponse answer;
        try
        {
            answer = await Http.SendAsync(Uri, deliveryEvent.Value, Settings.ContentType, batch.TraceContext, headers, cancellationToken).ConfigureAwait(false);
        }
        catch (DestinationUnavailableException ex)
        {
            SetError(response, slot, new ActionDestinationErrorResponse { Status = 503, ErrorType = ErrorCodes.RetryableError, ErrorMessage = ex.Message });
            return new Outcome(true, null, null, ex.Message, ex);
        }

        using (answer)
        {
            var status = answer.Status;
            if (status is >= 200 and <= 299)
            {
                SetSuccess(response, slot, status);
                return Outcome.Delivered;
            }

            if (status == 413)
            {
                SetError(response, slot, HttpStatusMapping.PayloadTooLarge(deliveryEvent.Value.Length));
                return new Outcome(false, status, null, "HTTP 413", null);
            }

            var message = status is >= 400 and <= 499
                ? HttpStatusMapping.Describe(status, await ReadBodyOrEmptyAsync(answer).ConfigureAwait(false))
                : $"HTTP {status}";
            SetError(response, slot, new ActionDestinationErrorResponse { Status = status, ErrorMessage = message, RetryAfter = answer.RetryAfter });
            var destinationLevel = HttpStatusMapping.IsDestinationLevel(status) || status < 200 || status is >= 300 and <= 399;
            return new Outcome(destinationLevel, status, answer.RetryAfter, $"HTTP {status}", null);
        }
    }

    private static async Task<ResponseBody> ReadBodyOrEmptyAsync(DestinationHttpResponse answer)
    {
        try
        {
            return await answer.ReadBodyAsync().ConfigureAwait(false);
        }
        catch (DestinationUnavailableException)
        {
            return new ResponseBody([]);
        }
    }

    private static void SetSuccess(MultiStatusResponse response, int slot, int status)
    {
        lock (response)
        {
            response.SetSuccessResponseAtIndex(slot, new ActionDestinationSuccessResponse { Status = status });
        }
    }

    private static void SetError(MultiStatusResponse response, int slot, ActionDestinationErrorResponse error)
    {
        lock (response)
        {
            response.SetErrorResponseAtIndex(slot, error);
        }
    }

    /// <summary>How one request ended, for the all-failed and gone rules.</summary>
    private readonly record struct Outcome(bool DestinationLevel, int? Status, TimeSpan? RetryAfter, string? Message, Exception? Exception)
    {
        public static Outcome Delivered => new(false, null, null, null, null);
    }

    /// <summary>The parsed content of the secret file: one X-Signature key, or the Standard Webhooks keys.</summary>
    private sealed record Secrets(string Content, byte[]? XSignatureKey, byte[][]? StandardKeys);
}
