using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Delivery.Core.Options;
using Delivery.Kafka.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delivery.Worker.Kafka;

/// <summary>
/// Creates the topics a pipeline needs. Embedded: every topic through the mock cluster (it lacks CreateTopics).
/// Real Kafka: the retry and dead-letter topics through the admin client when <c>Kafka:CreateTopics</c> is true,
/// ignoring "already exists"; source topics are never created.
/// </summary>
internal sealed partial class TopicProvisioner(
    IOptions<DeliveryOptions> options, KafkaClientFactory clients, IServiceProvider services, ILogger<TopicProvisioner> logger)
{
    /// <summary>Ensures the topics exist.</summary>
    public async Task EnsureAsync(string destination, IReadOnlyList<string> sourceTopics, IReadOnlyList<string> ownedTopics, CancellationToken cancellationToken)
    {
        var kafka = options.Value.Kafka;
        if (kafka.Embedded)
        {
            var cluster = services.GetRequiredService<EmbeddedKafkaCluster>();
            foreach (var topic in sourceTopics.Concat(ownedTopics).Distinct(StringComparer.Ordinal))
            {
                cluster.CreateTopic(topic, Math.Max(1, kafka.TopicPartitions), kafka.TopicReplicationFactor);
            }

            return;
        }

        if (!kafka.CreateTopics || ownedTopics.Count == 0)
        {
            return;
        }

        using var admin = new AdminClientBuilder(clients.AdminConfig())
            .SetLogHandler((_, message) =>
            {
                if (message.Level <= SyslogLevel.Warning && message.Facility != "CONFWARN")
                {
                    LogAdmin(logger, destination, message.Facility, message.Message);
                }
            })
            .Build();
        var specs = ownedTopics.Distinct(StringComparer.Ordinal)
            .Select(t => new TopicSpecification { Name = t, NumPartitions = Math.Max(1, kafka.TopicPartitions), ReplicationFactor = kafka.TopicReplicationFactor })
            .ToList();
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(30) }).WaitAsync(cancellationToken);
            if (logger.IsEnabled(LogLevel.Information))
            {
                var names = string.Join(",", specs.Select(s => s.Name));
                LogCreated(logger, destination, names);
            }
        }
        catch (CreateTopicsException e)
        {
            foreach (var result in e.Results.Where(r => r.Error.Code is not ErrorCode.NoError and not ErrorCode.TopicAlreadyExists))
            {
                LogCreateFailed(logger, destination, result.Topic, result.Error.Reason);
            }
        }
        catch (KafkaException e)
        {
            var names = string.Join(",", specs.Select(s => s.Name));
            LogCreateFailed(logger, destination, names, e.Error.Reason);
        }
    }

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "Destination {Destination}: created topics {Topic}")]
    private static partial void LogCreated(ILogger logger, string destination, string topic);

    [LoggerMessage(EventId = 3042, Level = LogLevel.Warning, Message = "Destination {Destination}: admin client {Facility}: {Reason}")]
    private static partial void LogAdmin(ILogger logger, string destination, string facility, string reason);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Warning, Message = "Destination {Destination}: could not create topic {Topic}: {Reason}")]
    private static partial void LogCreateFailed(ILogger logger, string destination, string topic, string reason);
}
