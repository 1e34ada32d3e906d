using Delivery.Core.Offsets;

namespace Delivery.Core.Tests.Offsets;

public sealed class OffsetTrackerTests
{
    [Fact]
    public void For_SamePartition_SameTracker()
    {
        var tracker = new OffsetTracker<(string, int)>();

        Assert.Same(tracker.For(("orders", 0)), tracker.For(("orders", 0)));
        Assert.NotSame(tracker.For(("orders", 0)), tracker.For(("orders", 1)));
        Assert.Equal(2, tracker.Partitions.Count());
    }

    [Fact]
    public void CollectCommittable_OnlyPartitionsThatMoved()
    {
        var tracker = new OffsetTracker<int>();
        tracker.For(0).Track(5);
        tracker.For(1).Track(7);
        tracker.For(2).Track(1);
        tracker.For(0).Resolve(5);
        tracker.For(2).Resolve(1);
        tracker.For(2).MarkCommitted(2);

        var committable = tracker.CollectCommittable();

        Assert.Equal(new KeyValuePair<int, long>(0, 6), Assert.Single(committable));
    }

    [Fact]
    public void Revoke_ReturnsLastCommittableAndStopsTracking()
    {
        var tracker = new OffsetTracker<int>();
        var p = tracker.For(3);
        p.Track(10);
        p.Track(11);
        p.Track(12);
        p.Resolve(10);
        p.Resolve(12);

        Assert.Equal(11, tracker.Revoke(3));
        Assert.DoesNotContain(3, tracker.Partitions);
        Assert.Empty(tracker.CollectCommittable());
        Assert.NotSame(p, tracker.For(3));
    }

    [Fact]
    public void Revoke_NothingMoved_Null()
    {
        var tracker = new OffsetTracker<int>();
        tracker.For(0).Track(1);

        Assert.Null(tracker.Revoke(0));
        Assert.Null(tracker.Revoke(42));
    }

    [Fact]
    public void Revoke_AlreadyCommitted_Null()
    {
        var tracker = new OffsetTracker<int>();
        tracker.For(0).Track(1);
        tracker.For(0).Resolve(1);
        tracker.For(0).MarkCommitted(2);

        Assert.Null(tracker.Revoke(0));
    }

    [Fact]
    public void Lose_DropsWithoutCommitting()
    {
        var tracker = new OffsetTracker<int>();
        tracker.For(0).Track(1);
        tracker.For(0).Resolve(1);
        tracker.For(1).Track(1);
        tracker.For(1).Resolve(1);

        tracker.Lose(0);

        Assert.DoesNotContain(0, tracker.Partitions);
        Assert.Equal([1], tracker.CollectCommittable().Select(c => c.Key));
        Assert.Null(tracker.Revoke(0));
    }
}
