using Delivery.Worker.Telemetry;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// Counts the consume loop's consumed records. The counter is added to once per run of records from the same topic
/// (flushed when the topic changes, every <see cref="FlushEvery"/> records, when a poll returns nothing and before each
/// commit), not once per record: same totals and tags, a fraction of the cost. Consume loop only.
/// </summary>
internal sealed class ConsumedCounter(string destination, DeliveryMetrics metrics)
{
    /// <summary>Records after which the run is flushed even if the topic stays the same.</summary>
    public const int FlushEvery = 256;

    private string? _topic;
    private long _count;

    /// <summary>Counts one record consumed from <paramref name="topic"/>.</summary>
    public void Count(string topic)
    {
        if (_count > 0 && !string.Equals(_topic, topic, StringComparison.Ordinal))
        {
            Flush();
        }

        _topic = topic;
        if (++_count >= FlushEvery)
        {
            Flush();
        }
    }

    /// <summary>Adds the run counted so far to the metric.</summary>
    public void Flush()
    {
        if (_count > 0 && _topic is not null)
        {
            metrics.Consumed(destination, _topic, _count);
        }

        _count = 0;
    }
}
