using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Pipeline;

/// <summary>librdkafka's log lines, as the pipeline's log events (EventId 3022).</summary>
internal static class KafkaLogBridge
{
    /// <summary>Logs <paramref name="message"/> of a client of <paramref name="destination"/>.</summary>
    public static void Log(ILogger logger, string destination, LogMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var level = message.Level switch
        {
            <= SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };

        // Delivery:Kafka:Client is shared by consumers and producers; librdkafka warns about the other kind's keys.
        if (message.Facility == "CONFWARN" && message.Message.Contains(" property ", StringComparison.Ordinal) && message.Message.Contains("will be ignored", StringComparison.Ordinal))
        {
            level = LogLevel.Debug;
        }

        if (logger.IsEnabled(level))
        {
            PipelineLog.Kafka(logger, level, destination, message.Facility, message.Message);
        }
    }
}
