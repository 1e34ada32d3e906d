using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class BatchSlotsTests
{
    [Fact]
    public void AnyFree_FreeUntilMaxTakenAndAgainAfterARelease()
    {
        var slots = new BatchSlots(2);

        slots.Take();
        Assert.True(slots.AnyFree);
        slots.Take();
        Assert.False(slots.AnyFree);
        slots.Release();

        Assert.True(slots.AnyFree);
        Assert.Equal(1, slots.Busy);
    }

    [Fact]
    public void Max_BelowOne_IsOne()
    {
        var slots = new BatchSlots(0);

        slots.Take();

        Assert.Equal(1, slots.Max);
        Assert.False(slots.AnyFree);
    }
}
