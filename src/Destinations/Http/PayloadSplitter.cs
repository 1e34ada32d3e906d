namespace Delivery.Destinations.Http;

/// <summary>
/// The 413 rule: a request rejected as too large is split in halves and each half is sent again, down to single
/// events; a single event that is still rejected gets a non-retryable <c>PAYLOAD_TOO_LARGE</c>. Never loops: every
/// split halves the list, so a batch of n events costs at most 2n − 1 requests.
/// </summary>
internal static class PayloadSplitter
{
    /// <summary>
    /// Sends <paramref name="items"/> with <paramref name="trySend"/> (which answers false for a 413), splitting as
    /// described. <paramref name="singleTooLarge"/> records the verdict on an event rejected alone.
    /// </summary>
    public static async Task SendAsync<T>(
        IReadOnlyList<T> items,
        Func<IReadOnlyList<T>, CancellationToken, Task<bool>> trySend,
        Action<T> singleTooLarge,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(trySend);
        ArgumentNullException.ThrowIfNull(singleTooLarge);
        if (items.Count == 0)
        {
            return;
        }

        if (await trySend(items, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (items.Count == 1)
        {
            singleTooLarge(items[0]);
            return;
        }

        var half = items.Count / 2;
        await SendAsync(Slice(items, 0, half), trySend, singleTooLarge, cancellationToken).ConfigureAwait(false);
        await SendAsync(Slice(items, half, items.Count - half), trySend, singleTooLarge, cancellationToken).ConfigureAwait(false);
    }

    private static T[] Slice<T>(IReadOnlyList<T> items, int start, int count)
    {
        var slice = new T[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = items[start + i];
        }

        return slice;
    }
}
