using System.Collections.Concurrent;
using Confluent.Kafka;
using Delivery.Core.Options;
using Delivery.Kafka.Embedded;
using Delivery.Worker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Kafka.Embedded;

/// <summary>
/// What the worker's rebalance handling relies on, on the librdkafka and Confluent.Kafka the project ships: with both
/// incremental protocols the handlers (void, like the pipeline's) get only the partitions that move, and
/// Confluent.Kafka applies them with IncrementalAssign / IncrementalUnassign when the handler returns (the consumer's
/// assignment grows and shrinks by exactly those partitions); and librdkafka refuses the classic-only client keys
/// with <c>group.protocol=consumer</c>, which is why the validator refuses them first.
/// </summary>
public sealed class GroupProtocolFactsTests(ITestOutputHelper output)
{
    public static TheoryData<string> ClassicOnlyKeys()
    {
        var data = new TheoryData<string>();
        foreach (var key in DeliveryOptionsValidator.ClassicOnlyClientKeys.Append("partition.assignment.strategy"))
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ClassicOnlyKeys))]
    public void ConsumerProtocol_ClassicOnlyKey_RefusedByLibrdkafka(string key)
    {
        var config = new ConsumerConfig { BootstrapServers = "127.0.0.1:1", GroupId = "g", GroupProtocol = GroupProtocol.Consumer };
        using (new ConsumerBuilder<Ignore, Ignore>(config).Build())
        {
            // without the key the same configuration builds
        }

        config.Set(key, key == "partition.assignment.strategy" ? "cooperative-sticky" : key == "group.protocol.type" ? "consumer" : "3000");
        var error = Assert.ThrowsAny<Exception>(() => new ConsumerBuilder<Ignore, Ignore>(config).Build().Dispose());
        output.WriteLine($"{key}: {error.GetType().Name}: {error.Message}");
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KafkaGroupProtocol.Consumer)]
    [InlineData(KafkaGroupProtocol.Classic)]
    public async Task SecondMemberJoinsThenLeaves_OnlyMovedPartitionsRevokedAndAssigned(KafkaGroupProtocol protocol)
    {
        using var cluster = EmbeddedKafkaCluster.Start(1, TimeSpan.FromMilliseconds(10));
        var topic = KafkaTestCluster.Unique("incremental");
        cluster.CreateTopic(topic, 6);
        var group = KafkaTestCluster.Unique("incremental");
        var config = new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = group };
        if (protocol == KafkaGroupProtocol.Consumer)
        {
            config.GroupProtocol = GroupProtocol.Consumer;
        }
        else
        {
            config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
            config.SessionTimeoutMs = 2000;
            config.HeartbeatIntervalMs = 100;
        }

        using var first = new Member(config, topic);
        await Wait.UntilAsync(() => first.Assignment.Count == 6, TimeSpan.FromSeconds(30), "the first member owns every partition");

        var second = new Member(config, topic);
        await Wait.UntilAsync(() => first.Assignment.Count == 3 && second.Assignment.Count == 3, TimeSpan.FromSeconds(30), "the partitions are shared 3 + 3");

        var revoked = first.Revoked.SelectMany(r => r).ToList();
        output.WriteLine($"{protocol}: first revoked [{string.Join(" | ", first.Revoked.Select(r => string.Join(",", r)))}]; kept {string.Join(",", first.Assignment)}");
        Assert.All(first.Revoked, r => Assert.True(r.Count < 6, "a revoke named every partition: eager, not incremental"));
        Assert.Equal(3, revoked.Distinct().Count());
        Assert.Empty(revoked.Intersect(first.Assignment));
        Assert.Equal(6, first.Assignment.Union(second.Assignment).Distinct().Count());

        second.Dispose();
        await Wait.UntilAsync(() => first.Assignment.Count == 6, TimeSpan.FromSeconds(30), "the first member owns every partition again");
        var lastAssigned = first.Assigned.Last();
        output.WriteLine($"{protocol}: after the leave, first assigned [{string.Join(",", lastAssigned)}]");

        // The handler was given only the 3 returning partitions, yet the assignment is all 6: IncrementalAssign.
        Assert.Equal(3, lastAssigned.Count);
        Assert.Equal(1, first.Assigned.Count(a => a.Count == 6));
    }

    /// <summary>One group member polling on its own thread, recording what its (void) handlers were given.</summary>
    private sealed class Member : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private volatile List<TopicPartition> _assignment = [];

        public Member(ConsumerConfig config, string topic)
        {
            _thread = new Thread(() =>
            {
                using var consumer = new ConsumerBuilder<Ignore, Ignore>(config)
                    .SetPartitionsAssignedHandler((_, p) => Assigned.Enqueue(p.ToList()))
                    .SetPartitionsRevokedHandler((_, p) => Revoked.Enqueue(p.Select(x => x.TopicPartition).ToList()))
                    .Build();
                consumer.Subscribe(topic);
                while (!_stop.IsCancellationRequested)
                {
                    consumer.Consume(TimeSpan.FromMilliseconds(50));
                    _assignment = consumer.Assignment;
                }

                consumer.Close();
            }) { IsBackground = true };
            _thread.Start();
        }

        public ConcurrentQueue<List<TopicPartition>> Assigned { get; } = new();

        public ConcurrentQueue<List<TopicPartition>> Revoked { get; } = new();

        public List<TopicPartition> Assignment => _assignment;

        public void Dispose()
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
                _thread.Join(TimeSpan.FromSeconds(30));
            }

            _stop.Dispose();
        }
    }
}
