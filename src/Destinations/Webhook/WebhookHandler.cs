using System.Security.Cryptography;
using System.Text;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Destinations.Http;
using Delivery.Destinations.Validation;

namespace Delivery.Destinations.Webhook;

/// <summary>
/// One POST per event (the record value, byte for byte), at most <c>Settings:MaxParallel</c> at a time, with the
/// delivery-event-id in <c>X-Delivery-Event-Id</c> and an optional <c>X-Signature</c>. Each answer fills its slot.
/// </summary>
internal sealed class WebhookHandler : IDestinationHandler
{
    /// <summary>Header carrying the delivery-event-id.</summary>
    public const string EventIdHeader = "X-Delivery-Event-Id";

    /// <summary>Header carrying the body signature.</summary>
    public const string SignatureHeader = "X-Signature";

    private readonly DestinationHttpClient _http;
    private readonly WebhookSettings _settings;
    private readonly EventPreValidator _validator;
    private readonly FileSecret? _secret;
    private readonly Uri _uri;

    public WebhookHandler(DestinationHttpClient http, WebhookSettings settings)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(settings);
        _http = http;
        _settings = settings;
        _validator = new EventPreValidator(requireJson: false, requireObject: false, settings.RequireAnyOf);
        _secret = string.IsNullOrWhiteSpace(settings.SignatureSecretFile) ? null : new FileSecret(settings.SignatureSecretFile);
        _uri = http.Resolve(settings.Path);
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static string Signature(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body)
        => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <inheritdoc />
    public async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var response = new MultiStatusResponse(batch.Count);
        var validated = ValidatedBatch.Create(batch, response, _validator.Validate);
        if (validated.Valid.Count == 0)
        {
            return response;
        }

        var secret = ReadSecret();
        var failures = new Outcome[validated.Valid.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = _settings.MaxParallel, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, validated.Valid.Count), options, async (i, ct) =>
        {
            var deliveryEvent = validated.Valid[i];
            var slot = validated.ToOriginalIndex(i);
            failures[i] = await SendOneAsync(batch, deliveryEvent, slot, secret, response, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        // Every request failed at connection level or with a destination-level status: the webhook is down, not
        // these events (DESIGN.md §4 Hold).
        if (Array.TrueForAll(failures, f => f.DestinationLevel))
        {
            var first = failures[0];
            var retryAfter = failures.Max(f => f.RetryAfter);
            var statuses = failures.Select(f => f.Status).Distinct().ToArray();
            throw new DestinationUnavailableException(
                $"Destination '{_http.Destination}': all {failures.Length} webhook requests failed ({first.Message}).",
                statuses.Length == 1 ? statuses[0] : null,
                retryAfter,
                first.Exception);
        }

        return response;
    }

    private byte[]? ReadSecret()
    {
        if (_secret is null)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetBytes(_secret.Read());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DestinationUnavailableException(
                $"Destination '{_http.Destination}': the signature secret file (Settings:SignatureSecretFile) could not be read.", null, null, ex);
        }
    }

    private async Task<Outcome> SendOneAsync(DeliveryBatch batch, DeliveryEvent deliveryEvent, int slot, byte[]? secret, MultiStatusResponse response, CancellationToken cancellationToken)
    {
        var headers = new List<KeyValuePair<string, string>>(2) { new(EventIdHeader, deliveryEvent.EventId) };
        if (secret is not null)
        {
            headers.Add(new(SignatureHeader, Signature(secret, deliveryEvent.Value.Span)));
        }

        DestinationHttpResponse answer;
        try
        {
            answer = await _http.SendAsync(_uri, deliveryEvent.Value, _settings.ContentType, batch.TraceContext, headers, cancellationToken).ConfigureAwait(false);
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

    /// <summary>How one request ended, for the all-failed rule.</summary>
    private readonly record struct Outcome(bool DestinationLevel, int? Status, TimeSpan? RetryAfter, string? Message, Exception? Exception)
    {
        public static Outcome Delivered => new(false, null, null, null, null);
    }
}
