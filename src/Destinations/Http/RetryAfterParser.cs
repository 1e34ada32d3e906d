using System.Net.Http.Headers;

namespace Delivery.Destinations.Http;

/// <summary>Reads a <c>Retry-After</c> header in either form (delta-seconds or HTTP-date).</summary>
internal static class RetryAfterParser
{
    /// <summary>
    /// The wait the header asks for: the delta as given, or the HTTP-date minus <paramref name="time"/>'s now
    /// (never negative). Null when there is no usable header.
    /// </summary>
    public static TimeSpan? Parse(RetryConditionHeaderValue? header, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
