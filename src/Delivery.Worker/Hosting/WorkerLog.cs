using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Hosting;

/// <summary>Host-level log messages (EventIds 1000–1099).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "delivery-worker starting in {Environment}: {DestinationCount} enabled destination(s) [{Destinations}], Kafka {KafkaMode}")]
    public static partial void Starting(ILogger logger, string environment, int destinationCount, string destinations, string kafkaMode);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "HTTP endpoint (/healthz, /readyz, /metrics) on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "OpenTelemetry OTLP export {OtlpState}")]
    public static partial void Otlp(ILogger logger, string otlpState);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Embedded Kafka (in-memory mock cluster, demo and tests only) listening on {BootstrapServers}; other clients can use it, e.g. kcat -b {BootstrapServers} -L")]
    public static partial void EmbeddedKafka(ILogger logger, string bootstrapServers);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "delivery-worker stopped")]
    public static partial void Stopped(ILogger logger);
}
