using Delivery.Core.MultiStatus;
using Delivery.Core.Outcomes;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The keyed Polly pipelines of one destination's handler (registered through Polly.Extensions, so every resilience
/// event is reported as a metric and a log): the <em>call</em> pipeline, circuit breaker around a timeout, and the
/// <em>hold</em> pipeline, a retry of the whole call in place while the destination is down, honouring Retry-After
/// (DESIGN.md §4 Hold). Limits are validated once, by <see cref="PipelineOptionsValidator"/>; nothing is clamped here.
/// </summary>
internal static class HandlerResilience
{
    /// <summary>Key prefix of every pipeline registered here (for the telemetry listener).</summary>
    public const string KeyPrefix = "delivery-handler/";

    /// <summary>The hold session of the batch being delivered.</summary>
    public static readonly ResiliencePropertyKey<HoldSession> Session = new("delivery.hold-session");

    /// <summary>The call pipeline's key for <paramref name="destination"/>.</summary>
    public static string CallKey(string destination) => $"{KeyPrefix}{destination}/call";

    /// <summary>The hold pipeline's key for <paramref name="destination"/>.</summary>
    public static string HoldKey(string destination) => $"{KeyPrefix}{destination}/hold";

    /// <summary>Breaker (destination-level failures and timeouts) around the handler timeout.</summary>
    public static void ConfigureCall(ResiliencePipelineBuilder builder, PipelineOptions tuning)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tuning);
        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = "breaker",
                ShouldHandle = new PredicateBuilder().Handle<Exception>(static e => e is TimeoutRejectedException || OutcomeResolver.TryGetHold(e, out _, out _)),
                FailureRatio = tuning.CircuitFailureRatio,
                MinimumThroughput = tuning.CircuitMinimumThroughput,
                SamplingDuration = tuning.CircuitSamplingDuration,
                BreakDuration = tuning.CircuitBreakDuration,
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "timeout", Timeout = tuning.HandlerTimeout });
    }

    /// <summary>
    /// Retries a held call (its exception is destination-level) until it answers or the batch is given up; the delay
    /// comes from the batch's <see cref="HoldSession"/>. No attempt is burned and nothing is written to retry topics.
    /// </summary>
    public static void ConfigureHold(ResiliencePipelineBuilder<HandlerCall> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRetry(new RetryStrategyOptions<HandlerCall>
        {
            Name = "hold",
            MaxRetryAttempts = int.MaxValue,
            ShouldHandle = static args => ValueTask.FromResult(
                args.Outcome.Result.Exception is { } e
                && OutcomeResolver.TryGetHold(e, out _, out _)
                && args.Context.Properties.TryGetValue(Session, out var session)
                && !session.GiveUp()),
            DelayGenerator = static args =>
            {
                OutcomeResolver.TryGetHold(args.Outcome.Result.Exception!, out _, out var retryAfter);
                var session = args.Context.Properties.GetValue(Session, null!);
                return ValueTask.FromResult<TimeSpan?>(session.NextDelay(retryAfter, args.Outcome.Result.Exception is DestinationGoneException));
            },
            OnRetry = static args =>
            {
                if (OutcomeResolver.TryGetHold(args.Outcome.Result.Exception!, out var error, out _)
                    && args.Context.Properties.TryGetValue(Session, out var session))
                {
                    session.Held(error, args.RetryDelay, args.Outcome.Result.Exception as DestinationGoneException);
                }

                return default;
            },
        });
    }
}
