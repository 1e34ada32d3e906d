namespace Delivery.Core.Options.Validation;

/// <summary>Kafka naming rules for topics (and the destination names that become part of them).</summary>
internal static class KafkaNames
{
    /// <summary>Longest legal Kafka topic name.</summary>
    public const int MaxTopicLength = 249;

    /// <summary>
    /// Why <paramref name="topic"/> is not a legal Kafka topic name, or null when it is:
    /// 1–249 characters of <c>[a-zA-Z0-9._-]</c>, and neither <c>.</c> nor <c>..</c>.
    /// </summary>
    public static string? TopicProblem(string? topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            return "must not be empty";
        }

        if (topic.Length > MaxTopicLength)
        {
            return $"must be at most {MaxTopicLength} characters (was {topic.Length})";
        }

        if (topic is "." or "..")
        {
            return $"must not be '{topic}'";
        }

        return HasOnlyLegalCharacters(topic) ? null : "may contain only ASCII letters, digits, '.', '_' and '-'";
    }

    /// <summary>True when every character is one of <c>[a-zA-Z0-9._-]</c>.</summary>
    public static bool HasOnlyLegalCharacters(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
