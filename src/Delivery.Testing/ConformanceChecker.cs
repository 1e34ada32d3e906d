using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Testing;

/// <summary>Checks one call's outcome against the contract for its scenario.</summary>
internal static class ConformanceChecker
{
    public static List<ConformanceViolation> Check(ScenarioState state, DeliveryBatch batch, CallOutcome outcome, ConformanceOptions options)
    {
        var scenario = state.Scenario;
        var found = new List<ConformanceViolation>();
        void Add(ConformanceRule rule, int? index, string message) => found.Add(new ConformanceViolation(scenario.Name, rule, index, message));

        if (scenario.Expect is Expectation.Cancelled or Expectation.CancelledBefore)
        {
            CheckCancelled(outcome, options, Add);
            if (scenario.Expect == Expectation.CancelledBefore && state.Requests > 0)
            {
                Add(ConformanceRule.CancellationHonoured, null, $"the token was cancelled before the call, but the handler sent {state.Requests} request(s)");
            }

            return found;
        }

        if (!outcome.Completed)
        {
            Add(ConformanceRule.CompletesInTime, null, $"the call had not ended {outcome.Elapsed.TotalSeconds:F1} s after it started (the handler's request timeout plus grace {options.Grace})");
            return found;
        }

        switch (scenario.Expect)
        {
            case Expectation.Empty:
                if (outcome.Exception is { } thrown)
                {
                    Add(ConformanceRule.EverySlotAnswered, null, $"an empty batch must be answered with an empty response, but the handler threw {thrown.GetType().Name}");
                }
                else if (outcome.Response!.Length != 0)
                {
                    Add(ConformanceRule.EverySlotAnswered, null, $"an empty batch was answered with {outcome.Response.Length} slot(s)");
                }

                if (state.Requests > 0)
                {
                    Add(ConformanceRule.NothingSentForEmptyBatch, null, $"an empty batch sent {state.Requests} request(s)");
                }

                break;
            case Expectation.Answer:
                if (outcome.Exception is DestinationUnavailableException)
                {
                    Add(ConformanceRule.RequestFailureAnswered, null, "threw DestinationUnavailableException, but the API answered per request or per event: the worker would hold the destination for events it rejected");
                }
                else if (outcome.Exception is { } other)
                {
                    Add(ConformanceRule.OnlyContractExceptions, null, $"threw {other.GetType().Name}: {other.Message}");
                }
                else
                {
                    CheckSlots(state, batch, outcome.Response!, Add);
                }

                break;
            case Expectation.AnswerOrUnavailable:
                if (outcome.Exception is { } thrownHere and not DestinationUnavailableException)
                {
                    Add(ConformanceRule.OnlyContractExceptions, null, $"threw {thrownHere.GetType().Name} for an unreadable answer (answer per event without a success, or throw DestinationUnavailableException): {thrownHere.Message}");
                }
                else if (outcome.Response is { } response)
                {
                    CheckSlots(state, batch, response, Add);
                }

                break;
            default:
                CheckUnavailable(scenario, outcome, Add);
                break;
        }

        return found;
    }

    private static void CheckCancelled(CallOutcome outcome, ConformanceOptions options, Action<ConformanceRule, int?, string> add)
    {
        if (!outcome.Completed)
        {
            add(ConformanceRule.CancellationHonoured, null, $"the call had not ended {options.Grace} after its token was cancelled");
        }
        else if (outcome.Exception is not OperationCanceledException)
        {
            add(ConformanceRule.CancellationHonoured, null, outcome.Exception is { } ex
                ? $"a cancelled call must throw OperationCanceledException, but it threw {ex.GetType().Name}"
                : "a cancelled call must throw OperationCanceledException, but it returned an answer");
        }
    }

    private static void CheckUnavailable(ConformanceScenario scenario, CallOutcome outcome, Action<ConformanceRule, int?, string> add)
    {
        var what = scenario.Mode switch
        {
            ServerMode.Status => $"the whole request was answered {scenario.Status}",
            ServerMode.Hang => "the destination did not answer within the request timeout",
            _ => "the connection was dropped without an answer",
        };
        if (outcome.Exception is not DestinationUnavailableException unavailable)
        {
            add(ConformanceRule.DestinationFailureThrown, null, outcome.Exception is { } ex
                ? $"{what}: expected DestinationUnavailableException, but the handler threw {ex.GetType().Name}"
                : $"{what}: expected DestinationUnavailableException, but the handler answered per event (the worker would retry or dead-letter healthy events instead of holding)");
            return;
        }

        if (scenario.ExpectedRetryAfter is var (expected, tolerance)
            && (unavailable.RetryAfter is not { } actual || (actual - expected).Duration() > tolerance))
        {
            add(ConformanceRule.RetryAfterPassedOn, null,
                $"the destination sent Retry-After {(tolerance == TimeSpan.Zero ? $"{expected.TotalSeconds:F0} (delta-seconds)" : $"as an HTTP-date about {expected.TotalSeconds:F0} s ahead")}, but DestinationUnavailableException.RetryAfter is {unavailable.RetryAfter?.ToString() ?? "null"}");
        }
    }

    private static void CheckSlots(ScenarioState state, DeliveryBatch batch, MultiStatusResponse response, Action<ConformanceRule, int?, string> add)
    {
        var scenario = state.Scenario;
        if (response.Length > batch.Count)
        {
            add(ConformanceRule.EverySlotAnswered, null, $"the answer has {response.Length} slots for {batch.Count} events");
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var slot = response.GetResponseAtIndex(i);
            if (slot is null)
            {
                add(ConformanceRule.EverySlotAnswered, i, "the slot is unset (every event needs a verdict)");
                continue;
            }

            var success = slot is ActionDestinationSuccessResponse;
            if (scenario.Invalid.Contains(i))
            {
                if (state.WasSent(i))
                {
                    add(ConformanceRule.InvalidEventsNotSent, i, "the event fails pre-validation but was sent to the API");
                }

                if (success)
                {
                    add(ConformanceRule.SuccessOnlyFor2xx, i, "the event fails pre-validation and was never confirmed, but its slot is a success");
                }

                continue;
            }

            var verdict = state.VerdictOf(i);
            switch (verdict?.Kind)
            {
                case null when success:
                    add(ConformanceRule.SuccessOnlyFor2xx, i, "the event was never sent to the API, but its slot is a success");
                    break;
                case VerdictKind.Accepted when !success:
                    add(ConformanceRule.IndicesMappedBack, i, $"the API accepted this event (request {verdict.Request}, item {verdict.ApiIndex}), but its slot is an error ({((ActionDestinationErrorResponse)slot).Status}): an API error was put in the wrong slot, or an accepted event was failed");
                    break;
                case VerdictKind.Rejected when success:
                    add(ConformanceRule.SuccessOnlyFor2xx, i, $"the API rejected this event with {verdict.Status} (request {verdict.Request}, item {verdict.ApiIndex}), but its slot is a success");
                    break;
                case VerdictKind.Unconfirmed when success:
                    add(ConformanceRule.SuccessOnlyFor2xx, i, $"the API never confirmed this event ({Unconfirmed(scenario)}), but its slot is a success");
                    break;
                case VerdictKind.Unconfirmed when scenario.Mode == ServerMode.Status && ((ActionDestinationErrorResponse)slot).Status != scenario.Status:
                    add(ConformanceRule.ErrorStatusPassedOn, i, $"the whole request was answered {scenario.Status}, but the event's error has status {((ActionDestinationErrorResponse)slot).Status}");
                    break;
            }
        }
    }

    private static string Unconfirmed(ConformanceScenario scenario) => scenario.Mode switch
    {
        ServerMode.Status => $"the whole request was answered {scenario.Status}",
        ServerMode.Garbled => "its answer was not the API's answer",
        ServerMode.Truncated => "its answer was cut off",
        _ => "no answer",
    };
}
