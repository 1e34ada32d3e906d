using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Acme.Contacts;

/// <summary>
/// Upserts contacts with the Acme Contacts bulk API: <c>POST v1/lists/{listId}/contacts:bulk</c> with
/// <c>{"contacts":[...]}</c>. It answers 200 when every contact was stored, or 207 with
/// <c>{"failed":[{"position":i,"status":400,"error":"..."}]}</c>, <c>position</c> counting in the request.
/// </summary>
public sealed class AcmeContactsHandler : IDestinationHandler
{
    private readonly HttpClient _client;
    private readonly Uri _uri;
    private readonly TimeProvider _time;

    /// <summary>Creates the handler over a client whose <c>BaseAddress</c> and <c>Timeout</c> are set.</summary>
    public AcmeContactsHandler(HttpClient client, AcmeContactsSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        _client = client;
        _time = time;
        _uri = new Uri($"v1/lists/{settings.ListId}/contacts:bulk", UriKind.Relative);
    }

    /// <inheritdoc />
    public async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var response = new MultiStatusResponse(batch.Count);

        // Pattern 2: pre-validate. Invalid contacts get a 400 PAYLOAD_VALIDATION_FAILED at their batch index; the
        // valid ones are sent in order, and ValidatedBatch keeps the request-position → batch-index map.
        var contacts = ValidatedBatch.Create(batch, response, Validate);
        if (contacts.Valid.Count == 0)
        {
            return response;
        }

        using var answer = await PostAsync(contacts.Valid, cancellationToken).ConfigureAwait(false);
        var status = (int)answer.StatusCode;
        var retryAfter = RetryAfter(answer.Headers.RetryAfter);
        switch (status)
        {
            case 200 or 207:
                var body = await ReadAsync(answer, cancellationToken).ConfigureAwait(false);

                // Pattern 1: mark every sent contact a success, then overwrite the ones the API lists as failed.
                contacts.SetAllValidSuccess(_ => new ActionDestinationSuccessResponse { Status = 200, Body = "Processed successfully" });
                if (status == 207)
                {
                    MapFailures(body, contacts);
                }

                return response;
            case 400 or 404 or 409 or 413 or 422:
                // The request as a whole was refused: every contact sent gets that status (non-retryable 4xx).
                for (var i = 0; i < contacts.Valid.Count; i++)
                {
                    contacts.SetErrorResponseAtFilteredIndex(i, new ActionDestinationErrorResponse { Status = status, ErrorMessage = $"Acme refused the request: HTTP {status}" });
                }

                return response;
            default:
                // 401, 403, 429, 5xx and anything unexpected: the destination is unusable now; the worker holds.
                throw new DestinationUnavailableException($"Acme Contacts answered HTTP {status}.", status, retryAfter);
        }
    }

    private static string? Validate(DeliveryEvent contact)
    {
        if (!contact.TryGetJson(out var json) || json.ValueKind != JsonValueKind.Object)
        {
            return "A contact must be a JSON object.";
        }

        return Has(json, "email") || Has(json, "phone") ? null : "Either \"email\" or \"phone\" is required.";

        static bool Has(JsonElement json, string name)
            => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;
    }

    private async Task<HttpResponseMessage> PostAsync(IReadOnlyList<DeliveryEvent> contacts, CancellationToken cancellationToken)
    {
        var body = new StringBuilder("{\"contacts\":[");
        for (var i = 0; i < contacts.Count; i++)
        {
            body.Append(i == 0 ? string.Empty : ",").Append(Encoding.UTF8.GetString(contacts[i].Value.Span));
        }

        using var content = new StringContent(body.Append("]}").ToString(), Encoding.UTF8, "application/json");
        try
        {
            return await _client.PostAsync(_uri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // The worker is stopping: not a destination failure.
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // Connection refused or reset, or HttpClient.Timeout elapsed.
            throw new DestinationUnavailableException("Acme Contacts could not be reached or did not answer in time.", null, null, ex);
        }
    }

    private static async Task<byte[]> ReadAsync(HttpResponseMessage answer, CancellationToken cancellationToken)
    {
        try
        {
            return await answer.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            throw new DestinationUnavailableException("Acme Contacts' answer was cut off.", null, null, ex);
        }
    }

    /// <summary>Overwrites the contacts the 207 lists, mapping each request position back to its batch index.</summary>
    private static void MapFailures(byte[] body, ValidatedBatch<DeliveryEvent> contacts)
    {
        var failures = AcmeFailure.TryRead(body);
        if (failures is null)
        {
            // An answer we cannot read confirms nothing: no contact may count as stored.
            for (var i = 0; i < contacts.Valid.Count; i++)
            {
                contacts.SetErrorResponseAtFilteredIndex(i, new ActionDestinationErrorResponse
                {
                    Status = 502,
                    ErrorType = ErrorCodes.MalformedResponse,
                    ErrorMessage = "Acme's 207 answer is not a failed list.",
                });
            }

            return;
        }

        foreach (var failure in failures)
        {
            if (!contacts.ContainsFilteredIndex(failure.Position) || failure.Status is < 400 or > 599)
            {
                continue; // A position outside the request, or not an error: nothing to map it to.
            }

            contacts.SetErrorResponseAtFilteredIndex(failure.Position, new ActionDestinationErrorResponse
            {
                Status = failure.Status,
                ErrorMessage = failure.Error,
                Sent = JsonNode.Parse(contacts.Valid[failure.Position].Value.Span), // valid contacts are JSON objects
                Body = failure.Error,
            });
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is not { } date)
        {
            return null;
        }

        var wait = date - _time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
