namespace Delivery.Worker.Tests.Pipeline.Controls;

/// <summary>
/// Tests that measure rates and latencies from a real server's timestamps: they run alone (not beside the rest of the
/// suite on the machine's two cores), so a measured rate is the limiter's, not the neighbours' CPU use.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "timing-sensitive";
}
