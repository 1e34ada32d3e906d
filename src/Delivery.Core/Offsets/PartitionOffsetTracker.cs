namespace Delivery.Core.Offsets;

/// <summary>
/// Tracks the consumed offsets of one partition and which of them are resolved. The committable offset is the
/// one after the highest <em>contiguous</em> resolved offset: it never passes an unresolved offset, whatever the
/// completion order. Offsets must be tracked in increasing order (gaps allowed). Thread-safe.
/// </summary>
public sealed class PartitionOffsetTracker
{
    private readonly Lock _gate = new();
    private long[] _offsets = new long[64];
    private bool[] _resolved = new bool[64];
    private int _head;
    private int _count;
    private long _committable = -1;
    private long _lastCommitted = -1;
    private long _lastTracked = -1;

    /// <summary>Offsets tracked but not yet resolved.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                var pending = 0;
                for (var i = 0; i < _count; i++)
                {
                    if (!_resolved[(_head + i) % _offsets.Length])
                    {
                        pending++;
                    }
                }

                return pending;
            }
        }
    }

    /// <summary>True when every tracked offset is resolved.</summary>
    public bool IsDrained
    {
        get
        {
            lock (_gate)
            {
                return _count == 0;
            }
        }
    }

    /// <summary>Records that <paramref name="offset"/> was consumed and is now in flight.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is not greater than the last one tracked.</exception>
    public void Track(long offset)
    {
        lock (_gate)
        {
            if (offset <= _lastTracked)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Offsets must increase (last tracked {_lastTracked}).");
            }

            if (_count == _offsets.Length)
            {
                Grow();
            }

            var tail = (_head + _count) % _offsets.Length;
            _offsets[tail] = offset;
            _resolved[tail] = false;
            _count++;
            _lastTracked = offset;
        }
    }

    /// <summary>Marks <paramref name="offset"/> resolved. Returns false when it is not tracked (e.g. already resolved).</summary>
    public bool Resolve(long offset)
    {
        lock (_gate)
        {
            var index = Find(offset);
            if (index < 0 || _resolved[index])
            {
                return false;
            }

            _resolved[index] = true;
            while (_count > 0 && _resolved[_head])
            {
                _committable = _offsets[_head] + 1;
                _head = (_head + 1) % _offsets.Length;
                _count--;
            }

            return true;
        }
    }

    /// <summary>
    /// The offset to commit (one past the highest contiguous resolved offset) when it moved since the last
    /// <see cref="MarkCommitted"/>; otherwise null.
    /// </summary>
    public long? Committable
    {
        get
        {
            lock (_gate)
            {
                return _committable > _lastCommitted ? _committable : null;
            }
        }
    }

    /// <summary>Records that <paramref name="offset"/> was committed.</summary>
    public void MarkCommitted(long offset)
    {
        lock (_gate)
        {
            _lastCommitted = Math.Max(_lastCommitted, offset);
        }
    }

    private int Find(long offset)
    {
        // Tracked offsets are increasing: binary search over the ring.
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var index = (_head + mid) % _offsets.Length;
            var value = _offsets[index];
            if (value == offset)
            {
                return index;
            }

            if (value < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    private void Grow()
    {
        var offsets = new long[_offsets.Length * 2];
        var resolved = new bool[offsets.Length];
        for (var i = 0; i < _count; i++)
        {
            offsets[i] = _offsets[(_head + i) % _offsets.Length];
            resolved[i] = _resolved[(_head + i) % _offsets.Length];
        }

        _offsets = offsets;
        _resolved = resolved;
        _head = 0;
    }
}
