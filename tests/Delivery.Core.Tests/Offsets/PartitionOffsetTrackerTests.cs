using Delivery.Core.Offsets;

namespace Delivery.Core.Tests.Offsets;

public sealed class PartitionOffsetTrackerTests
{
    private static PartitionOffsetTracker Tracking(params long[] offsets)
    {
        var tracker = new PartitionOffsetTracker();
        foreach (var offset in offsets)
        {
            tracker.Track(offset);
        }

        return tracker;
    }

    [Fact]
    public void New_NothingTracked_NothingCommittable()
    {
        var tracker = new PartitionOffsetTracker();

        Assert.Null(tracker.Committable);
        Assert.True(tracker.IsDrained);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void Resolve_InOrder_CommittableIsOnePastLast()
    {
        var tracker = Tracking(10, 11, 12);

        Assert.True(tracker.Resolve(10));
        Assert.Equal(11, tracker.Committable);
        Assert.True(tracker.Resolve(11));
        Assert.True(tracker.Resolve(12));

        Assert.Equal(13, tracker.Committable);
        Assert.True(tracker.IsDrained);
    }

    [Fact]
    public void Resolve_OutOfOrder_CommittableStopsAtFirstUnresolved()
    {
        var tracker = Tracking(0, 1, 2, 3);

        tracker.Resolve(2);
        tracker.Resolve(3);
        Assert.Null(tracker.Committable);
        Assert.Equal(2, tracker.Pending);
        Assert.False(tracker.IsDrained);

        tracker.Resolve(1);
        Assert.Null(tracker.Committable);

        tracker.Resolve(0);
        Assert.Equal(4, tracker.Committable);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void Resolve_MiddleFirst_CommittableMovesOnlyThroughContiguousPrefix()
    {
        var tracker = Tracking(0, 1, 2, 3, 4);

        tracker.Resolve(0);
        tracker.Resolve(3);
        Assert.Equal(1, tracker.Committable);

        tracker.Resolve(1);
        Assert.Equal(2, tracker.Committable);

        tracker.Resolve(2);
        Assert.Equal(4, tracker.Committable);
        Assert.Equal(1, tracker.Pending);
    }

    [Fact]
    public void Resolve_GapsInOffsets_CommittableSkipsGaps()
    {
        // Compacted topics and transaction markers leave gaps: 5, 9, 20 are consecutive records.
        var tracker = Tracking(5, 9, 20);

        tracker.Resolve(9);
        Assert.Null(tracker.Committable);

        tracker.Resolve(5);
        Assert.Equal(10, tracker.Committable);

        tracker.Resolve(20);
        Assert.Equal(21, tracker.Committable);
    }

    [Fact]
    public void Resolve_Twice_FalseSecondTime()
    {
        var tracker = Tracking(0, 1);

        Assert.True(tracker.Resolve(1));
        Assert.False(tracker.Resolve(1));
        Assert.True(tracker.Resolve(0));
        Assert.False(tracker.Resolve(0));
        Assert.Equal(2, tracker.Committable);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(100)]
    public void Resolve_Untracked_False(long offset)
    {
        var tracker = Tracking(0, 1, 2, 4);

        Assert.False(tracker.Resolve(offset));
        Assert.Null(tracker.Committable);
        Assert.Equal(4, tracker.Pending);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    public void Track_NotIncreasing_Throws(long offset)
    {
        var tracker = Tracking(3, 5);

        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Track(offset));
        Assert.Equal(2, tracker.Pending);
    }

    [Fact]
    public void Resolve_FullRingDrained_StopsAtEmpty()
    {
        // Exactly the initial capacity: after the drain the head is back on a slot that was resolved before.
        var tracker = new PartitionOffsetTracker();
        for (var o = 0; o < 64; o++)
        {
            tracker.Track(o);
        }

        for (var o = 0; o < 64; o++)
        {
            tracker.Resolve(o);
        }

        Assert.Equal(64, tracker.Committable);
        Assert.True(tracker.IsDrained);
        tracker.Track(64);
        Assert.Equal(1, tracker.Pending);
        Assert.Equal(64, tracker.Committable);
    }

    [Fact]
    public void Track_NotIncreasing_MessageNamesLastTracked()
    {
        var tracker = Tracking(3, 5);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Track(4));

        Assert.Contains("last tracked 5", e.Message, StringComparison.Ordinal);
        Assert.Equal(4L, e.ActualValue);
    }

    [Fact]
    public void Track_AfterDrain_StillMustIncrease()
    {
        var tracker = Tracking(7);
        tracker.Resolve(7);

        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Track(7));
        tracker.Track(8);
        Assert.Equal(1, tracker.Pending);
    }

    [Fact]
    public void MarkCommitted_HidesUntilItMovesAgain()
    {
        var tracker = Tracking(0, 1, 2);
        tracker.Resolve(0);
        Assert.Equal(1, tracker.Committable);

        tracker.MarkCommitted(1);
        Assert.Null(tracker.Committable);

        tracker.Resolve(1);
        Assert.Equal(2, tracker.Committable);
    }

    [Fact]
    public void MarkCommitted_OlderOffset_DoesNotGoBack()
    {
        var tracker = Tracking(0, 1);
        tracker.Resolve(0);
        tracker.Resolve(1);
        tracker.MarkCommitted(2);

        tracker.MarkCommitted(1);

        Assert.Null(tracker.Committable);
    }

    [Fact]
    public void MarkCommitted_BelowCommittable_StillCommittable()
    {
        var tracker = Tracking(0, 1, 2);
        tracker.Resolve(0);
        tracker.MarkCommitted(1);
        tracker.Resolve(1);
        tracker.Resolve(2);

        tracker.MarkCommitted(2);

        Assert.Equal(3, tracker.Committable);
    }

    [Fact]
    public void Track_ManyBeyondInitialCapacity_RingGrowsAndKeepsOrder()
    {
        var tracker = new PartitionOffsetTracker();
        for (var o = 0L; o < 1000; o++)
        {
            tracker.Track(o * 2);
        }

        for (var o = 999L; o >= 1; o--)
        {
            Assert.True(tracker.Resolve(o * 2));
        }

        Assert.Null(tracker.Committable);
        Assert.Equal(1, tracker.Pending);
        Assert.True(tracker.Resolve(0));
        Assert.Equal(1999, tracker.Committable);
    }

    [Fact]
    public void Track_WrapAroundRing_FindStillWorks()
    {
        var tracker = new PartitionOffsetTracker();
        var next = 0L;

        // Keep ~40 in flight while the ring's head walks around it many times, then grow while wrapped.
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 40; i++)
            {
                tracker.Track(next++);
            }

            for (var o = next - 40; o < next - 10; o++)
            {
                Assert.True(tracker.Resolve(o));
            }
        }

        for (var i = 0; i < 100; i++)
        {
            tracker.Track(next++);
        }

        Assert.Equal(10 * 10 + 100 + 0, tracker.Pending + 0);
        for (var o = next - 1; o >= 0; o--)
        {
            tracker.Resolve(o);
        }

        Assert.Equal(next, tracker.Committable);
        Assert.True(tracker.IsDrained);
    }

    [Fact]
    public async Task ResolveAndTrack_Concurrently_NoLostUpdates()
    {
        var tracker = new PartitionOffsetTracker();
        const int count = 20_000;
        for (var o = 0; o < count; o++)
        {
            tracker.Track(o);
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var o = worker; o < count; o += 4)
            {
                Assert.True(tracker.Resolve(o));
            }
        })));

        Assert.Equal(count, tracker.Committable);
        Assert.True(tracker.IsDrained);
    }
}
