using Confluent.Kafka;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>Reads a whole topic from the beginning, incrementally: each <see cref="Poll"/> adds what arrived since.</summary>
internal sealed class TopicReader : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly List<ConsumeResult<byte[], byte[]>> _records = [];
    private readonly string _topic;
    private readonly string _bootstrap;
    private bool _assigned;

    public TopicReader(string bootstrapServers, string topic)
    {
        _bootstrap = bootstrapServers;
        _topic = topic;
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = KafkaTestCluster.Unique("reader"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).Build();
    }

    public IReadOnlyList<ConsumeResult<byte[], byte[]>> Records => _records;

    public IReadOnlyList<ConsumeResult<byte[], byte[]>> Poll()
    {
        if (!_assigned)
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _bootstrap }).Build();
            var metadata = admin.GetMetadata(_topic, TimeSpan.FromSeconds(5)).Topics.Single();
            if (metadata.Error.IsError || metadata.Partitions.Count == 0)
            {
                return _records;
            }

            _consumer.Assign(metadata.Partitions.Select(p => new TopicPartitionOffset(_topic, p.PartitionId, Offset.Beginning)));
            _assigned = true;
        }

        var idle = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var result = _consumer.Consume(idle);
            if (result is null)
            {
                return _records;
            }

            if (!result.IsPartitionEOF)
            {
                _records.Add(result);
                idle = TimeSpan.FromMilliseconds(50);
            }
        }
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
