using Delivery.Core.Offsets;
using FsCheck.Xunit;

namespace Delivery.Core.Tests.Offsets;

/// <summary>
/// Property tests: for random offset sets (with gaps), random interleavings of consumption and completion, random
/// commits and a random revoke point, the committable offset never passes an unresolved offset, and it reaches
/// last + 1 once everything is resolved.
/// </summary>
public sealed class OffsetTrackerPropertyTests
{
    private static long[] Offsets(byte[]? gaps, ushort start)
    {
        var offsets = new long[(gaps?.Length ?? 0) + 1];
        offsets[0] = start;
        for (var i = 1; i < offsets.Length; i++)
        {
            offsets[i] = offsets[i - 1] + 1 + (gaps![i - 1] % 4);
        }

        return offsets;
    }

    private static void AssertSafe(long committable, long[] offsets, HashSet<long> resolved)
    {
        // Every tracked offset below the committable one is resolved, and it lands just past a tracked offset.
        foreach (var offset in offsets)
        {
            if (offset < committable)
            {
                Assert.Contains(offset, resolved);
            }
        }

        Assert.Contains(committable - 1, offsets);
    }

    [Property(MaxTest = 500)]
    public void Committable_NeverPassesUnresolved_AndReachesLastPlusOne(byte[] gaps, ushort start, int seed, bool commitAlong)
    {
        var offsets = Offsets(gaps, start);
        var random = new Random(seed);
        var tracker = new OffsetTracker<int>();
        var partition = tracker.For(0);
        var resolved = new HashSet<long>();
        var inFlight = new List<long>();
        var tracked = 0;
        long? highest = null;

        while (resolved.Count < offsets.Length)
        {
            // Interleave consumption and completion at random; completion picks any in-flight offset.
            if (tracked < offsets.Length && (inFlight.Count == 0 || random.Next(2) == 0))
            {
                partition.Track(offsets[tracked]);
                inFlight.Add(offsets[tracked++]);
            }
            else
            {
                var pick = random.Next(inFlight.Count);
                Assert.True(partition.Resolve(inFlight[pick]));
                resolved.Add(inFlight[pick]);
                inFlight.RemoveAt(pick);
            }

            if (partition.Committable is { } committable)
            {
                AssertSafe(committable, offsets, resolved);
                Assert.True(highest is null || committable >= highest, "the committable offset went back");
                highest = committable;
                if (commitAlong && random.Next(3) == 0)
                {
                    partition.MarkCommitted(committable);
                }
            }

            Assert.Equal(inFlight.Count, partition.Pending);
        }

        Assert.Equal(offsets[^1] + 1, highest);
        Assert.True(partition.IsDrained);
    }

    [Property(MaxTest = 500)]
    public void Revoke_AtRandomPoint_ReturnsSafeOffset(byte[] gaps, ushort start, int seed, byte revokeAfter)
    {
        var offsets = Offsets(gaps, start);
        var order = offsets.ToArray();
        new Random(seed).Shuffle(order);
        var tracker = new OffsetTracker<string>();
        foreach (var offset in offsets)
        {
            tracker.For("orders-0").Track(offset);
        }

        var resolved = new HashSet<long>();
        var steps = revokeAfter % (order.Length + 1);
        for (var i = 0; i < steps; i++)
        {
            tracker.For("orders-0").Resolve(order[i]);
            resolved.Add(order[i]);
        }

        var revoked = tracker.Revoke("orders-0");

        var lowestUnresolved = offsets.Where(o => !resolved.Contains(o)).Cast<long?>().FirstOrDefault();
        if (revoked is { } committable)
        {
            AssertSafe(committable, offsets, resolved);
            Assert.True(lowestUnresolved is null || committable <= lowestUnresolved);
            Assert.True(lowestUnresolved is not null || committable == offsets[^1] + 1);
        }
        else
        {
            // Nothing committable means the very first offset is still unresolved.
            Assert.Equal(offsets[0], lowestUnresolved);
        }

        Assert.Empty(tracker.Partitions);
    }

    [Property(MaxTest = 200)]
    public void Lose_AtRandomPoint_NothingCommittable(byte[] gaps, int seed, byte loseAfter)
    {
        var offsets = Offsets(gaps, 0);
        var tracker = new OffsetTracker<int>();
        foreach (var offset in offsets)
        {
            tracker.For(1).Track(offset);
        }

        var order = offsets.ToArray();
        new Random(seed).Shuffle(order);
        foreach (var offset in order.Take(loseAfter % (order.Length + 1)))
        {
            tracker.For(1).Resolve(offset);
        }

        tracker.Lose(1);

        Assert.Empty(tracker.CollectCommittable());
        Assert.Null(tracker.Revoke(1));
    }
}
