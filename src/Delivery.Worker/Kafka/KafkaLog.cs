using Delivery.Core.Options;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Kafka;

/// <summary>Log messages of the Kafka client setup (EventIds 1100–1109).</summary>
internal static partial class KafkaLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Kafka consumer group protocol {Protocol} ({Reason})")]
    public static partial void GroupProtocol(ILogger logger, KafkaGroupProtocol protocol, string reason);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Kafka consumer group protocol Classic: no broker answered ApiVersions within {TimeoutSeconds} s, so Delivery:Kafka:GroupProtocol Auto could not tell whether the brokers serve ConsumerGroupHeartbeat (KIP-848); set GroupProtocol explicitly to skip the probe")]
    public static partial void GroupProtocolProbeFailed(ILogger logger, double timeoutSeconds);
}
