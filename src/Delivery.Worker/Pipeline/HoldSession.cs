using Delivery.Core.MultiStatus;
using Delivery.Core.Outcomes;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// One batch's stay in hold: the back-off so far (kept across wake-ups, so a revoke elsewhere does not reset it),
/// when to give up, and what to do on each hold. Used by one delivery at a time (its dispatch worker and the Polly
/// retry callbacks of that delivery).
/// </summary>
internal sealed class HoldSession(int count, TimeSpan initialBackoff, TimeSpan maxBackoff, Func<bool> giveUp, Action<HoldSession, DeliveryError, TimeSpan> onHold, TimeSpan? goneBackoff = null)
{
    private TimeSpan _backoff = initialBackoff;

    /// <summary>Records in the batch.</summary>
    public int Count { get; } = count;

    /// <summary>True once the batch held at least once.</summary>
    public bool Holding { get; private set; }

    /// <summary>The batch is given up (revoked, draining while held, aborted): no further hold retry.</summary>
    public bool GiveUp() => giveUp();

    /// <summary>The next hold delay: the back-off or the Retry-After, whichever is longer, capped; the back-off doubles.</summary>
    public TimeSpan NextDelay(TimeSpan? retryAfter) => NextDelay(retryAfter, gone: false);

    /// <summary>
    /// The next hold delay; for an endpoint that answered 410 Gone the long gone back-off (or a longer Retry-After),
    /// not capped by the hold maximum, and the ordinary back-off is left where it was.
    /// </summary>
    public TimeSpan NextDelay(TimeSpan? retryAfter, bool gone)
    {
        if (gone && goneBackoff is { } longWait)
        {
            return retryAfter is { } asked && asked > longWait ? asked : longWait;
        }

        var delay = retryAfter is { } after && after > _backoff ? after : _backoff;
        if (delay > maxBackoff)
        {
            delay = maxBackoff;
        }

        _backoff = _backoff * 2 > maxBackoff ? maxBackoff : _backoff * 2;
        return delay;
    }

    /// <summary>The call failed destination-level and is retried after <paramref name="delay"/>.</summary>
    public void Held(DeliveryError error, TimeSpan delay, DestinationGoneException? gone = null)
    {
        Gone = gone;
        onHold(this, error, delay);
    }

    /// <summary>The 410 Gone of the last hold, or null when the last hold was another destination-level failure.</summary>
    public DestinationGoneException? Gone { get; private set; }

    /// <summary>Marks the batch held; true the first time.</summary>
    public bool Enter()
    {
        if (Holding)
        {
            return false;
        }

        Holding = true;
        return true;
    }
}
