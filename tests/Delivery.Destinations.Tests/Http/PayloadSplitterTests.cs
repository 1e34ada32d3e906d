using Delivery.Destinations.Http;

namespace Delivery.Destinations.Tests.Http;

public sealed class PayloadSplitterTests
{
    [Fact]
    public async Task SendAsync_TooLargeAboveTwo_SplitsInHalvesDownToSingles()
    {
        var sent = new List<int[]>();
        var single = new List<int>();

        await PayloadSplitter.SendAsync<int>(
            [0, 1, 2, 3, 4],
            (part, _) =>
            {
                sent.Add([.. part]);
                return Task.FromResult(part.Count <= 2 && !part.Contains(3));
            },
            single.Add,
            CancellationToken.None);

        Assert.Equal([[0, 1, 2, 3, 4], [0, 1], [2, 3, 4], [2], [3, 4], [3], [4]], sent);
        Assert.Equal([3], single);
    }

    [Fact]
    public async Task SendAsync_Empty_NothingSent()
    {
        var calls = 0;

        await PayloadSplitter.SendAsync<int>([], (_, _) => Task.FromResult(++calls > 0), _ => calls++, CancellationToken.None);

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task SendAsync_Nulls_Throw()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => PayloadSplitter.SendAsync<int>(null!, (_, _) => Task.FromResult(true), _ => { }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => PayloadSplitter.SendAsync<int>([1], null!, _ => { }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => PayloadSplitter.SendAsync<int>([1], (_, _) => Task.FromResult(true), null!, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => PayloadSplitter.SendAsync([], (_, _) => Task.FromResult(true), null!, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, "d", CancellationToken.None));
    }
}
