using System.Text.Json;
using System.Text.Json.Nodes;
using Delivery.Core.MultiStatus;
using Delivery.Core.Options;
using Delivery.Core.Outcomes;
using Delivery.Core.Retry;

namespace Delivery.Core.Tests.MultiStatus;

/// <summary>The two usage patterns of Segment's MultiStatus docs and the Nakadi 207 case, end to end to outcomes.</summary>
public sealed class MultiStatusUsagePatternTests
{
    // The docs' example answer: HTTP 207, indices relative to the list that was sent.
    private const string DocsAnswer = """
        { "itemsProcessed": 5, "success": 3, "error": 2,
          "errorResponses": [ { "status": 400, "message": "Invalid zip code", "index": 0 },
                              { "status": 400, "message": "Invalid zip code", "index": 1 } ] }
        """;

    private static IEnumerable<(int Status, string Message, int Index)> ErrorResponses(string answer)
        => JsonNode.Parse(answer)!["errorResponses"]!.AsArray()
            .Select(e => (e!["status"]!.GetValue<int>(), e["message"]!.GetValue<string>(), e["index"]!.GetValue<int>()));

    [Fact]
    public void Pattern1_MarkAllSuccessThenOverwriteReportedErrors()
    {
        JsonNode[] payloads = [.. Enumerable.Range(0, 5).Select(i => (JsonNode)new JsonObject { ["id"] = i })];
        var ms = new MultiStatusResponse();

        for (var i = 0; i < payloads.Length; i++)
        {
            ms.SetSuccessResponseAtIndex(i, new() { Status = 200, Sent = payloads[i], Body = "Processed successfully" });
        }

        foreach (var (status, message, index) in ErrorResponses(DocsAnswer))
        {
            ms.SetErrorResponseAtIndex(index, new() { Status = status, ErrorType = ErrorCodes.BadRequest, ErrorMessage = message, Sent = payloads[index], Body = message });
        }

        Assert.Equal(5, ms.Length);
        Assert.Equal(3, ms.SuccessCount);
        Assert.Equal(2, ms.ErrorCount);
        Assert.True(ms.IsErrorResponseAtIndex(0));
        Assert.True(ms.IsErrorResponseAtIndex(1));
        Assert.True(ms.IsSuccessResponseAtIndex(2));

        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(5), ms, new RetryPolicy(new RetryOptions()), TestEvents.Now, new Random(1));

        Assert.IsType<EventOutcome.DeadLetter>(resolution.Outcomes[0]);
        Assert.IsType<EventOutcome.DeadLetter>(resolution.Outcomes[1]);
        Assert.All(resolution.Outcomes.Skip(2), o => Assert.Same(EventOutcome.Delivered, o));
        Assert.Equal(0, resolution.ContractViolations);
    }

    [Fact]
    public void Pattern2_PreValidateSendFilteredMapIndicesBack()
    {
        // Seven payloads; 1 and 4 miss both email and phone. The API sees five and reports its own indices 0 and 1.
        JsonObject[] payloads =
        [
            new() { ["email"] = "a@x.org" }, new() { ["zip"] = "1" }, new() { ["phone"] = "+1" }, new() { ["email"] = "d@x.org" },
            new(), new() { ["email"] = "f@x.org" }, new() { ["email"] = "g@x.org" },
        ];
        var ms = new MultiStatusResponse();

        var batch = ValidatedBatch.Create(payloads, ms, p => p["email"] is null && p["phone"] is null ? "Either \"email\" or \"phone\" is required." : null);
        Assert.Equal(5, batch.Valid.Count);

        batch.SetAllValidSuccess(i => new() { Status = 200, Sent = batch.Valid[i].DeepClone(), Body = "Processed successfully" });
        foreach (var (status, message, index) in ErrorResponses(DocsAnswer))
        {
            batch.SetErrorResponseAtFilteredIndex(index, new() { Status = status, ErrorMessage = message, Sent = batch.Valid[index].DeepClone(), Body = message });
        }

        // Filtered 0 → original 0, filtered 1 → original 2: the API's errors land on the payloads that were sent there.
        Assert.Equal(7, ms.Length);
        Assert.Equal("Invalid zip code", ((ActionDestinationErrorResponse)ms.GetResponseAtIndex(0)!).ErrorMessage);
        Assert.Equal("Invalid zip code", ((ActionDestinationErrorResponse)ms.GetResponseAtIndex(2)!).ErrorMessage);
        Assert.Equal("+1", ms.GetResponseAtIndex(2)!.Sent!["phone"]!.GetValue<string>());
        Assert.Equal(ErrorCodes.PayloadValidationFailed, ((ActionDestinationErrorResponse)ms.GetResponseAtIndex(1)!).ErrorType);
        Assert.Equal(ErrorCodes.PayloadValidationFailed, ((ActionDestinationErrorResponse)ms.GetResponseAtIndex(4)!).ErrorType);
        Assert.Equal([3, 5, 6], Enumerable.Range(0, 7).Where(ms.IsSuccessResponseAtIndex));
        Assert.Equal(3, ms.SuccessCount);
        Assert.Equal(4, ms.ErrorCount);
    }

    [Fact]
    public void Nakadi207_TwoHundredAnswerWithFailures_FailedItemsAreErrorsNotDelivered()
    {
        // Nakadi answers 207 Multi-Status — a 2xx — when at least one event was not published.
        const int httpStatus = 207;
        const string body = """
            [ { "eid": "e0", "publishing_status": "submitted" },
              { "eid": "e1", "publishing_status": "failed", "step": "validating", "detail": "field total is missing" },
              { "eid": "e2", "publishing_status": "aborted", "step": "publishing", "detail": "" },
              { "eid": "e3", "publishing_status": "submitted" } ]
            """;
        var ms = new MultiStatusResponse();
        var items = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();

        for (var i = 0; i < items.Count; i++)
        {
            var state = items[i].GetProperty("publishing_status").GetString();
            if (state == "submitted")
            {
                ms.SetSuccessResponseAtIndex(i, new() { Status = httpStatus });
            }
            else if (state == "aborted")
            {
                ms.SetErrorResponseAtIndex(i, new() { Status = 500, ErrorType = ErrorCodes.RetryableError, ErrorMessage = "aborted: another event of the batch failed" });
            }
            else
            {
                // A 207 slot that failed is an error: its status must not stay 2xx (the API rejects that).
                Assert.Throws<ArgumentException>(() => ms.SetErrorResponseAtIndex(i, new() { Status = httpStatus, ErrorMessage = "x" }));
                ms.SetErrorResponseAtIndex(i, new() { Status = 422, ErrorMessage = items[i].GetProperty("detail").GetString()! });
            }
        }

        var resolution = OutcomeResolver.Resolve(TestEvents.Batch(4), ms, new RetryPolicy(new RetryOptions()), TestEvents.Now, new Random(7));

        Assert.Same(EventOutcome.Delivered, resolution.Outcomes[0]);
        var rejected = Assert.IsType<EventOutcome.DeadLetter>(resolution.Outcomes[1]);
        Assert.Equal(DeadLetterReason.NonRetryable, rejected.Reason);
        Assert.Equal(ErrorCodes.UnprocessableEntity, rejected.Error.ErrorType);
        Assert.Equal("field total is missing", rejected.Error.Message);
        Assert.IsType<EventOutcome.Retry>(resolution.Outcomes[2]);
        Assert.Same(EventOutcome.Delivered, resolution.Outcomes[3]);
    }
}
