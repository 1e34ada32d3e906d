using Confluent.Kafka;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class PartitionRegistryTests
{
    [Fact]
    public void Snapshot_TakenBeforeAChange_StaysAsItWas()
    {
        var registry = new PartitionRegistry();
        var a = PipelineUnits.Partition(partition: 0);
        var b = PipelineUnits.Partition(partition: 1);
        registry.Add([a]);
        var before = registry.Snapshot;

        registry.Add([b]);
        registry.Remove([a.Partition]);

        Assert.Same(a, Assert.Single(before));
        Assert.Same(b, Assert.Single(registry.Snapshot));
    }

    [Fact]
    public void TryGetByTopicAndPartition_AfterReassignment_ReturnsTheNewStateNotTheCachedOne()
    {
        var registry = new PartitionRegistry();
        var a = PipelineUnits.Partition(partition: 0);
        var b = PipelineUnits.Partition(partition: 1);
        registry.Add([a, b]);
        var topic = a.Partition.Topic;

        Assert.True(registry.TryGet(topic, 0, out var first));
        Assert.Same(a, first);
        Assert.True(registry.TryGet(new string(topic.AsSpan()), 0, out var again)); // another string instance, same name
        Assert.Same(a, again);
        Assert.True(registry.TryGet(topic, 1, out var other));
        Assert.Same(b, other);
        Assert.False(registry.TryGet(topic + "-x", 1, out _));
        Assert.False(registry.TryGet(topic, 7, out _));

        registry.Remove([b.Partition]);
        Assert.False(registry.TryGet(topic, 1, out _)); // the revoked partition's cached state is not served

        var fresh = PipelineUnits.Partition(partition: 1);
        registry.Add([fresh]);
        Assert.True(registry.TryGet(topic, 1, out var now));
        Assert.Same(fresh, now);
    }

    [Fact]
    public void IsCurrent_AReassignedPartitionsOldState_IsNotCurrent()
    {
        var registry = new PartitionRegistry();
        var old = PipelineUnits.Partition();
        registry.Add([old]);
        registry.Remove([old.Partition]);
        var fresh = PipelineUnits.Partition();
        registry.Add([fresh]);

        Assert.False(registry.IsCurrent(old));
        Assert.True(registry.IsCurrent(fresh));
    }

    [Fact]
    public void Uncommittable_SumsTrackedRecordsNotYetCommittable()
    {
        var registry = new PartitionRegistry();
        var a = PipelineUnits.Partition(partition: 0);
        var b = PipelineUnits.Partition(partition: 1);
        registry.Add([a, b]);
        PipelineUnits.Record(a, 0);
        PipelineUnits.Record(a, 1);
        a.FirstTracked = 0;
        a.Tracker.Resolve(1);
        PipelineUnits.Record(b, 10);
        b.FirstTracked = 10;
        b.Tracker.Resolve(10);

        Assert.Equal(2, registry.Uncommittable());
        Assert.Empty(registry.Remove([new TopicPartition("other", 0)]));
    }
}
