using Delivery.Core.Topology;

namespace Delivery.Core.Options.Validation;

/// <summary>
/// The rules across destinations: each has its own consumer group, and no retry or dead-letter topic is another
/// destination's (or its own) source, tier or dead-letter topic. Names come from <see cref="DestinationTopology"/>.
/// </summary>
internal static class DestinationTopologyRules
{
    /// <summary>Adds one failure line per collision or invalid topic name.</summary>
    public static void Check(List<KeyValuePair<string, DestinationOptions>> destinations, List<string> failures)
    {
        var enabled = destinations.Where(d => d.Value is { Enabled: true }).ToList();

        // Topic → the first enabled destination that consumes it.
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, destination) in enabled)
        {
            foreach (var topic in destination.SourceTopics ?? [])
            {
                if (topic is not null)
                {
                    sources.TryAdd(topic, name);
                }
            }
        }

        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, destination) in enabled)
        {
            var key = $"{DeliveryOptions.SectionName}:Destinations:{name}";
            var topology = DestinationTopology.For(name, destination);
            if (!groups.TryAdd(topology.ConsumerGroup, name))
            {
                failures.Add($"{key}:ConsumerGroup: consumer group '{topology.ConsumerGroup}' is also used by destination '{groups[topology.ConsumerGroup]}'; each destination needs its own");
            }

            if (destination.Retry is not null && topology.TierTopics.Count > 0)
            {
                var prefixKey = $"{key}:Retry:TopicPrefix";
                var longest = topology.TierTopics[^1];
                if (KafkaNames.TopicProblem(longest) is { } problem)
                {
                    failures.Add($"{prefixKey}: retry topic '{longest}' {problem}{Derived(destination.Retry.TopicPrefix)}");
                }
                else
                {
                    foreach (var tier in topology.TierTopics)
                    {
                        Own(tier, prefixKey);
                    }
                }
            }

            if (destination.DeadLetter is not null)
            {
                var dlqKey = $"{key}:DeadLetter:Topic";
                if (KafkaNames.TopicProblem(topology.DeadLetterTopic) is { } problem)
                {
                    failures.Add($"{dlqKey}: dead-letter topic '{topology.DeadLetterTopic}' {problem}{Derived(destination.DeadLetter.Topic)}");
                }
                else
                {
                    Own(topology.DeadLetterTopic, dlqKey);
                }
            }
        }

        void Own(string topic, string key)
        {
            if (sources.TryGetValue(topic, out var consumer))
            {
                failures.Add($"{key}: topic '{topic}' is also a source topic of destination '{consumer}'");
            }
            else if (!owners.TryAdd(topic, key))
            {
                failures.Add($"{key}: topic '{topic}' is also used by {owners[topic]}");
            }
        }

        static string Derived(string? configured) => string.IsNullOrWhiteSpace(configured) ? " (derived from the destination name)" : string.Empty;
    }
}
