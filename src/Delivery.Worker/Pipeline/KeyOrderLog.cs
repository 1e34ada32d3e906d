using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Pipeline;

/// <summary>Log messages of <c>Ordering: PerKey</c> (EventIds 3060–3069).</summary>
internal static partial class KeyOrderLog
{
    [LoggerMessage(EventId = 3060, Level = LogLevel.Information, Message = "Destination {Destination}: {Topic}/{Partition} paused alone: {Waiting} events wait behind keys that wait for their retry (limit {Limit})")]
    public static partial void PartitionPaused(ILogger logger, string destination, string topic, int partition, long waiting, long limit);

    [LoggerMessage(EventId = 3061, Level = LogLevel.Information, Message = "Destination {Destination}: {Topic}/{Partition} resumed: {Waiting} events wait behind keys")]
    public static partial void PartitionResumed(ILogger logger, string destination, string topic, int partition, long waiting);
}
