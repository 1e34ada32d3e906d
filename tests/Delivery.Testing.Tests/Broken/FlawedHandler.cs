using System.Net;
using System.Text;
using System.Text.Json;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Testing.Tests.Broken;

/// <summary>
/// A handler for the MultiStatus docs' API (POST <c>{"events":[...]}</c>; 200, or 207 with <c>errorResponses</c> by
/// request index) written in the docs' two patterns, with one <see cref="Flaw"/> switched on at a time.
/// </summary>
internal sealed class FlawedHandler : IDestinationHandler, IDisposable
{
    private readonly HttpClient _client;
    private readonly Flaw _flaw;

    public FlawedHandler(ConformanceTarget target, Flaw flaw)
    {
        _flaw = flaw;
        _client = new HttpClient
        {
            BaseAddress = target.BaseAddress,
            Timeout = flaw == Flaw.IgnoresTimeout ? Timeout.InfiniteTimeSpan : target.RequestTimeout,
        };
    }

    public async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        var response = new MultiStatusResponse(batch.Count);
        if (batch.Count == 0 && _flaw != Flaw.PostsEmptyBatch)
        {
            return response;
        }

        // Pattern 2: pre-validate, keep the filtered → original index map.
        var validated = ValidatedBatch.Create(batch, response, _flaw == Flaw.SendsInvalidEvents ? _ => null : Validate);
        var toSend = validated.Valid;
        var body = "{\"events\":[" + string.Join(',', toSend.Select(e => Encoding.UTF8.GetString(e.Value.Span))) + "]}";

        HttpResponseMessage answer;
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            answer = await _client.PostAsync("v1/track", content, _flaw == Flaw.IgnoresCancellation ? CancellationToken.None : cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && _flaw != Flaw.IgnoresCancellation)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            throw new DestinationUnavailableException("The API could not be reached or did not answer in time.", ex);
        }

        using (answer)
        {
            var status = (int)answer.StatusCode;
            var retryAfter = _flaw == Flaw.DropsRetryAfter ? null : answer.Headers.RetryAfter?.Delta ?? (answer.Headers.RetryAfter?.Date - TimeProvider.System.GetUtcNow());
            string text;
            try
            {
                text = await answer.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                throw new DestinationUnavailableException("The answer was cut off.", ex);
            }

            if (status is 401 or 403 or 429 or >= 500 && _flaw != Flaw.AnswersServerErrorPerEvent)
            {
                throw new DestinationUnavailableException($"HTTP {status}", status, retryAfter);
            }

            if (status is 400 or 413 or 422 or >= 500)
            {
                if (_flaw == Flaw.ThrowsUnavailableOnBadRequest)
                {
                    throw new DestinationUnavailableException($"HTTP {status}", status, retryAfter);
                }

                for (var i = 0; i < validated.Valid.Count; i++)
                {
                    if (_flaw == Flaw.SuccessOnWholeRequestError)
                    {
                        validated.SetSuccessResponseAtFilteredIndex(i, new() { Status = 200 });
                    }
                    else
                    {
                        validated.SetErrorResponseAtFilteredIndex(i, new() { Status = _flaw == Flaw.WrongStatusOnWholeRequestError ? 500 : status, ErrorMessage = $"HTTP {status}" });
                    }
                }

                return response;
            }

            // Pattern 1: mark every sent event a success, then overwrite the API's errors.
            var last = _flaw == Flaw.LeavesLastSlotUnset ? validated.Valid.Count - 1 : validated.Valid.Count;
            for (var i = 0; i < last; i++)
            {
                validated.SetSuccessResponseAtFilteredIndex(i, new() { Status = 200, Body = "Processed successfully" });
            }

            if (status == 207)
            {
                MapErrors(text, validated, response);
            }

            if (_flaw == Flaw.SendsInvalidEvents)
            {
                // Validated after the fact: the verdicts are right, but the invalid events went out.
                ValidatedBatch.Create(batch, response, Validate);
            }

            return response;
        }
    }

    private void MapErrors(string text, ValidatedBatch<DeliveryEvent> validated, MultiStatusResponse response)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException) when (_flaw != Flaw.LetsParseErrorEscape)
        {
            for (var i = 0; i < validated.Valid.Count; i++)
            {
                validated.SetErrorResponseAtFilteredIndex(i, new() { Status = 502, ErrorType = ErrorCodes.MalformedResponse, ErrorMessage = "The 207 answer is not JSON." });
            }

            return;
        }

        using (document)
        {
            foreach (var error in document.RootElement.GetProperty("errorResponses").EnumerateArray())
            {
                var index = error.GetProperty("index").GetInt32();
                var verdict = new ActionDestinationErrorResponse { Status = error.GetProperty("status").GetInt32(), ErrorMessage = error.GetProperty("message").GetString()! };
                if (_flaw == Flaw.ApiIndicesNotMappedBack)
                {
                    response.SetErrorResponseAtIndex(index, verdict);
                }
                else
                {
                    validated.SetErrorResponseAtFilteredIndex(index, verdict);
                }
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private static string? Validate(DeliveryEvent e) => e.TryGetJson(out var json) && json.TryGetProperty("email", out _) ? null : "email is required";

    /// <summary>The API's answer, as the kit's callback.</summary>
    public static ApiAnswer Api(ApiExchange exchange) => exchange.Rejections.Count == 0
        ? ApiAnswer.Empty((int)HttpStatusCode.OK)
        : new ApiAnswer(207, JsonSerializer.Serialize(new { errorResponses = exchange.Rejections.Select(r => new { status = r.Status, message = r.Message, index = r.Index }) }));
}
