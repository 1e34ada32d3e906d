using Microsoft.Extensions.Options;

namespace Delivery.Worker.Pipeline;

/// <summary>Validates <c>Delivery:Pipeline</c>; each failure is one line naming the key.</summary>
internal sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Positive(failures, nameof(options.CommitInterval), options.CommitInterval);
        Positive(failures, nameof(options.RevokeTimeout), options.RevokeTimeout);
        Range(failures, nameof(options.HandlerTimeout), options.HandlerTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1));
        Positive(failures, nameof(options.HoldInitialBackoff), options.HoldInitialBackoff);
        if (options.HoldMaxBackoff < options.HoldInitialBackoff)
        {
            failures.Add($"{PipelineOptions.SectionName}:{nameof(options.HoldMaxBackoff)}: must be at least HoldInitialBackoff ({options.HoldInitialBackoff}) (was {options.HoldMaxBackoff})");
        }

        Range(failures, nameof(options.GoneBackoff), options.GoneBackoff, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Range(failures, nameof(options.CircuitBreakDuration), options.CircuitBreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        Range(failures, nameof(options.CircuitSamplingDuration), options.CircuitSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        if (options.CircuitFailureRatio is <= 0 or > 1)
        {
            failures.Add($"{PipelineOptions.SectionName}:{nameof(options.CircuitFailureRatio)}: must be in (0, 1] (was {options.CircuitFailureRatio})");
        }

        if (options.CircuitMinimumThroughput < 2)
        {
            failures.Add($"{PipelineOptions.SectionName}:{nameof(options.CircuitMinimumThroughput)}: must be at least 2 (was {options.CircuitMinimumThroughput})");
        }

        Range(failures, nameof(options.BackpressureGrace), options.BackpressureGrace, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Range(failures, nameof(options.RetryPrefetch), options.RetryPrefetch, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Positive(failures, nameof(options.ProduceRetryInitialBackoff), options.ProduceRetryInitialBackoff);
        if (options.ProduceRetryMaxBackoff < options.ProduceRetryInitialBackoff)
        {
            failures.Add($"{PipelineOptions.SectionName}:{nameof(options.ProduceRetryMaxBackoff)}: must be at least ProduceRetryInitialBackoff (was {options.ProduceRetryMaxBackoff})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{PipelineOptions.SectionName}:{key}: must be positive (was {value})");
        }
    }

    private static void Range(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{PipelineOptions.SectionName}:{key}: must be between {min} and {max} (was {value})");
        }
    }
}
