using System.Collections.Concurrent;

namespace Delivery.Worker.Pipeline;

/// <summary>
/// The deliveries that are (or may start) waiting in hold, each with its own wake token. A revoke or the start of a
/// drain wakes them all so each looks whether its records are still wanted. A delivery registers before it checks
/// whether to give up, and a waker changes the state before it wakes, so no wake-up is missed.
/// </summary>
internal sealed class HeldBatches
{
    private readonly ConcurrentDictionary<CancellationTokenSource, byte> _waiting = new();

    /// <summary>Registers a delivery; its token is cancelled on <see cref="WakeAll"/> or when <paramref name="aborted"/> is.</summary>
    public CancellationTokenSource Enter(CancellationToken aborted)
    {
        var wake = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _waiting[wake] = 0;
        return wake;
    }

    /// <summary>Unregisters and disposes a delivery's wake token.</summary>
    public void Leave(CancellationTokenSource wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        _waiting.TryRemove(wake, out _);
        wake.Dispose();
    }

    /// <summary>Wakes every registered delivery.</summary>
    public void WakeAll()
    {
        foreach (var wake in _waiting.Keys)
        {
            try
            {
                wake.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It left meanwhile.
            }
        }
    }
}
