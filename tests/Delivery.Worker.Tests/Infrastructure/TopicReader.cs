using Confluent.Kafka;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>
/// Reads a whole topic from the beginning, incrementally: each <see cref="Poll"/> adds what arrived since. When it
/// falls behind the broker's high watermarks without progress, it starts a fresh consumer at the next offsets
/// (a consumer of the mock cluster can stall after a broker went down and up).
/// </summary>
internal sealed class TopicReader : IDisposable
{
    private readonly List<ConsumeResult<byte[], byte[]>> _records = [];
    private readonly Dictionary<int, long> _next = [];
    private readonly string _topic;
    private readonly string _bootstrap;
    private IConsumer<byte[], byte[]>? _consumer;

    public TopicReader(string bootstrapServers, string topic)
    {
        _bootstrap = bootstrapServers;
        _topic = topic;
    }

    public IReadOnlyList<ConsumeResult<byte[], byte[]>> Records => _records;

    public IReadOnlyList<ConsumeResult<byte[], byte[]>> Poll()
    {
        if (_consumer is null && !Start())
        {
            return _records;
        }

        var before = _records.Count;
        Drain();
        if (_records.Count == before && Behind())
        {
            Stop();
            if (Start())
            {
                Drain();
            }
        }

        return _records;
    }

    /// <summary>High watermarks per partition, as the broker reports them.</summary>
    public string Watermarks()
    {
        using var consumer = NewConsumer();
        return string.Join(",", _next.Keys.Order().Select(p =>
        {
            var w = consumer.QueryWatermarkOffsets(new TopicPartition(_topic, p), TimeSpan.FromSeconds(5));
            return $"{p}:[{w.Low.Value},{w.High.Value}) read {_records.Count(r => r.Partition.Value == p)}";
        }));
    }

    public void Dispose() => Stop();

    private void Drain()
    {
        var idle = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var result = _consumer!.Consume(idle);
            if (result is null)
            {
                return;
            }

            if (!result.IsPartitionEOF && result.Offset.Value >= _next.GetValueOrDefault(result.Partition.Value))
            {
                _records.Add(result);
                _next[result.Partition.Value] = result.Offset.Value + 1;
                idle = TimeSpan.FromMilliseconds(50);
            }
        }
    }

    private bool Behind()
    {
        using var consumer = NewConsumer();
        try
        {
            return _next.Any(p => consumer.QueryWatermarkOffsets(new TopicPartition(_topic, p.Key), TimeSpan.FromSeconds(2)).High.Value > p.Value);
        }
        catch (KafkaException)
        {
            return false;
        }
    }

    private bool Start()
    {
        if (_next.Count == 0)
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _bootstrap }).Build();
            var metadata = admin.GetMetadata(_topic, TimeSpan.FromSeconds(5)).Topics.Single();
            if (metadata.Error.IsError || metadata.Partitions.Count == 0)
            {
                return false;
            }

            foreach (var partition in metadata.Partitions)
            {
                _next[partition.PartitionId] = 0;
            }
        }

        _consumer = NewConsumer();
        _consumer.Assign(_next.Select(p => new TopicPartitionOffset(_topic, p.Key, p.Value)));
        return true;
    }

    private void Stop()
    {
        _consumer?.Close();
        _consumer?.Dispose();
        _consumer = null;
    }

    private IConsumer<byte[], byte[]> NewConsumer() => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = _bootstrap,
        GroupId = KafkaTestCluster.Unique("reader"),
        EnableAutoCommit = false,
        FetchWaitMaxMs = 20,
    }).Build();
}
