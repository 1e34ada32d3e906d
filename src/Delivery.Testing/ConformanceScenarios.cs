using System.Globalization;

namespace Delivery.Testing;

/// <summary>The scenarios every handler goes through, in order.</summary>
internal static class ConformanceScenarios
{
    public const int BatchSize = 5;

    public static IReadOnlyList<ConformanceScenario> For(ConformanceOptions options, List<string> notRun)
    {
        var scenarios = new List<ConformanceScenario>
        {
            new("empty-batch", 0, ServerMode.Answer, Expectation.Empty),
            new("all-success", BatchSize, ServerMode.Answer, Expectation.Answer),
            new("partial-207", BatchSize, ServerMode.Answer, Expectation.Answer)
            {
                Rejected = new Dictionary<int, int> { [1] = 400, [3] = 422 },
            },
        };
        if (options.InvalidEvent is null)
        {
            notRun.Add("pre-validation: ConformanceOptions.InvalidEvent is not set (the handler has no pre-validation)");
        }
        else
        {
            // The docs' second pattern: 0 and 3 are filtered out, so batch event 4 is the API's item 2.
            scenarios.Add(new("pre-validation", BatchSize + 1, ServerMode.Answer, Expectation.Answer)
            {
                Invalid = new HashSet<int> { 0, 3 },
                Rejected = new Dictionary<int, int> { [4] = 400 },
            });
        }

        scenarios.Add(new("batch-of-one", 1, ServerMode.Answer, Expectation.Answer));
        scenarios.Add(new("batch-of-one-rejected", 1, ServerMode.Answer, Expectation.Answer)
        {
            Rejected = new Dictionary<int, int> { [0] = 400 },
        });
        foreach (var status in new[] { 400, 413, 422 })
        {
            scenarios.Add(new($"request-{status}", BatchSize, ServerMode.Status, Expectation.Answer) { Status = status });
        }

        scenarios.Add(new("throttled-429", BatchSize, ServerMode.Status, Expectation.Unavailable)
        {
            Status = 429,
            RetryAfter = _ => "7",
            ExpectedRetryAfter = (TimeSpan.FromSeconds(7), TimeSpan.Zero),
        });
        scenarios.Add(new("unavailable-503", BatchSize, ServerMode.Status, Expectation.Unavailable)
        {
            Status = 503,
            RetryAfter = time => time.GetUtcNow().AddSeconds(10).ToString("r", CultureInfo.InvariantCulture),
            ExpectedRetryAfter = (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3)),
        });
        scenarios.Add(new("server-error-500", BatchSize, ServerMode.Status, Expectation.Unavailable) { Status = 500 });
        scenarios.Add(new("unauthorized-401", BatchSize, ServerMode.Status, Expectation.Unavailable) { Status = 401 });
        scenarios.Add(new("forbidden-403", BatchSize, ServerMode.Status, Expectation.Unavailable) { Status = 403 });
        scenarios.Add(new("malformed-body", BatchSize, ServerMode.Garbled, Expectation.AnswerOrUnavailable));
        scenarios.Add(new("truncated-body", BatchSize, ServerMode.Truncated, Expectation.AnswerOrUnavailable));
        scenarios.Add(new("connection-reset", BatchSize, ServerMode.Reset, Expectation.Unavailable));
        scenarios.Add(new("timeout", BatchSize, ServerMode.Hang, Expectation.Unavailable));
        scenarios.Add(new("cancellation", BatchSize, ServerMode.HoldForCancel, Expectation.Cancelled));
        scenarios.Add(new("cancelled-before-call", BatchSize, ServerMode.Answer, Expectation.CancelledBefore));
        return scenarios;
    }
}
