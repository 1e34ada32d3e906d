using Delivery.Testing.Tests.Broken;

namespace Delivery.Testing.Tests;

/// <summary>The kit fails a deliberately broken handler for each rule, naming the rule, the scenario and the batch index.</summary>
public sealed class DestinationConformanceTests
{
    [Fact]
    public async Task RunAsync_HandlerWithoutFlaw_Passes()
    {
        var report = await RunAsync(Flaw.None, TimeSpan.FromSeconds(10));

        ConformanceAssert.Passes(report);
        Assert.Empty(report.NotRun);
    }

    [Fact]
    public async Task RunAsync_SlotLeftUnset_ViolatesEverySlotAnsweredAtThatIndex()
        => await ViolatesAsync(Flaw.LeavesLastSlotUnset, ConformanceRule.EverySlotAnswered, "all-success", 4);

    [Fact]
    public async Task RunAsync_SuccessAfterWholeRequest400_ViolatesSuccessOnlyFor2xx()
        => await ViolatesAsync(Flaw.SuccessOnWholeRequestError, ConformanceRule.SuccessOnlyFor2xx, "request-400", 0);

    [Fact]
    public async Task RunAsync_ApiIndexUsedAsBatchIndex_ViolatesIndicesMappedBack()
        => await ViolatesAsync(Flaw.ApiIndicesNotMappedBack, ConformanceRule.IndicesMappedBack, "pre-validation", 2);

    [Fact]
    public async Task RunAsync_WrongStatusForWholeRequest422_ViolatesErrorStatusPassedOn()
        => await ViolatesAsync(Flaw.WrongStatusOnWholeRequestError, ConformanceRule.ErrorStatusPassedOn, "request-422", 1);

    [Fact]
    public async Task RunAsync_InvalidEventsSent_ViolatesInvalidEventsNotSent()
        => await ViolatesAsync(Flaw.SendsInvalidEvents, ConformanceRule.InvalidEventsNotSent, "pre-validation", 3);

    [Fact]
    public async Task RunAsync_503AnsweredPerEvent_ViolatesDestinationFailureThrown()
        => await ViolatesAsync(Flaw.AnswersServerErrorPerEvent, ConformanceRule.DestinationFailureThrown, "unavailable-503", null);

    [Fact]
    public async Task RunAsync_400ThrownAsUnavailable_ViolatesRequestFailureAnswered()
        => await ViolatesAsync(Flaw.ThrowsUnavailableOnBadRequest, ConformanceRule.RequestFailureAnswered, "request-400", null);

    [Fact]
    public async Task RunAsync_RetryAfterDropped_ViolatesRetryAfterPassedOn()
        => await ViolatesAsync(Flaw.DropsRetryAfter, ConformanceRule.RetryAfterPassedOn, "throttled-429", null);

    [Fact]
    public async Task RunAsync_CancellationIgnored_ViolatesCancellationHonoured()
        => await ViolatesAsync(Flaw.IgnoresCancellation, ConformanceRule.CancellationHonoured, "cancellation", null);

    [Fact]
    public async Task RunAsync_TimeoutIgnored_ViolatesCompletesInTime()
        => await ViolatesAsync(Flaw.IgnoresTimeout, ConformanceRule.CompletesInTime, "timeout", null);

    [Fact]
    public async Task RunAsync_EmptyBatchPosted_ViolatesNothingSentForEmptyBatch()
        => await ViolatesAsync(Flaw.PostsEmptyBatch, ConformanceRule.NothingSentForEmptyBatch, "empty-batch", null);

    [Fact]
    public async Task RunAsync_ParseErrorEscapes_ViolatesOnlyContractExceptions()
        => await ViolatesAsync(Flaw.LetsParseErrorEscape, ConformanceRule.OnlyContractExceptions, "malformed-body", null);

    [Fact]
    public async Task Passes_FailedReport_ThrowsWithRuleScenarioAndIndexInMessage()
    {
        var report = await RunAsync(Flaw.LeavesLastSlotUnset, TimeSpan.FromSeconds(5));

        var failure = Assert.Throws<ConformanceException>(() => ConformanceAssert.Passes(report));
        Assert.Contains("[all-success] EverySlotAnswered at batch index 4", failure.Message, StringComparison.Ordinal);
        Assert.Same(report, failure.Report);
    }

    private static async Task ViolatesAsync(Flaw flaw, ConformanceRule rule, string scenario, int? batchIndex)
    {
        var report = await RunAsync(flaw, TimeSpan.FromSeconds(5));

        Assert.False(report.Passed);
        Assert.Contains(report.Violations, v => v.Rule == rule && v.Scenario == scenario && v.BatchIndex == batchIndex);
        // The failure a test framework shows names the scenario, the rule and (for a slot) the batch index.
        var failure = Assert.Throws<ConformanceException>(() => ConformanceAssert.Passes(report));
        Assert.Contains(batchIndex is { } index ? $"[{scenario}] {rule} at batch index {index}: " : $"[{scenario}] {rule}: ", failure.Message, StringComparison.Ordinal);
        // The flaw breaks its own rule only: no other rule is named.
        Assert.All(report.Violations, v => Assert.True(v.Rule == rule || IsConsequence(flaw, v.Rule), v.ToString()));
    }

    /// <summary>Rules a flaw also breaks by its nature (an error in the wrong slot leaves the right slot a success).</summary>
    private static bool IsConsequence(Flaw flaw, ConformanceRule rule) => (flaw, rule) switch
    {
        (Flaw.ApiIndicesNotMappedBack, ConformanceRule.SuccessOnlyFor2xx) => true,
        _ => false,
    };

    private static Task<ConformanceReport> RunAsync(Flaw flaw, TimeSpan grace) => DestinationConformance.RunAsync(
        target => new FlawedHandler(target, flaw),
        new ConformanceOptions
        {
            Answer = FlawedHandler.Api,
            InvalidEvent = (i, id) => $"{{\"id\":\"{id}\",\"n\":{i}}}",
            Grace = grace,
        });
}
