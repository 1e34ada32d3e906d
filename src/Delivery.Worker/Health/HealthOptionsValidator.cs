using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Health;

/// <summary>Validates <c>Delivery:Health</c>; each failure is one line naming the key.</summary>
internal static class HealthOptionsValidator
{
    /// <summary>Every problem of <paramref name="options"/> (empty when valid).</summary>
    public static IReadOnlyList<string> Check(HealthOptions options, PipelineOptions pipeline)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        const string key = $"{HealthOptions.SectionName}:{nameof(HealthOptions.LoopStallTimeout)}";
        var timeout = options.LoopStallTimeout;
        if (timeout < HealthOptions.MinLoopStallTimeout || timeout > HealthOptions.MaxLoopStallTimeout)
        {
            return [$"{key}: must be between {HealthOptions.MinLoopStallTimeout} and {HealthOptions.MaxLoopStallTimeout} (was {timeout})"];
        }

        if (timeout <= pipeline.HandlerTimeout)
        {
            return [$"{key}: must be longer than {PipelineOptions.SectionName}:{nameof(PipelineOptions.HandlerTimeout)} ({pipeline.HandlerTimeout}) (was {timeout})"];
        }

        return [];
    }
}
