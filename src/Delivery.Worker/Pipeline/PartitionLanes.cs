namespace Delivery.Worker.Pipeline;

/// <summary>The key lanes of one partition for the <see cref="KeyOrderGate"/> (consume loop only).</summary>
internal sealed class PartitionLanes
{
    private readonly Dictionary<byte[], KeyLane> _keyed = new(KeyBytesComparer.Instance);
    private KeyLane? _keyless;

    /// <summary>Records parked in this partition.</summary>
    public int Parked { get; set; }

    /// <summary>Lanes with a record out.</summary>
    public int Busy => _keyed.Values.Count(static l => l.Out is not null) + (_keyless?.Out is not null ? 1 : 0);

    /// <summary>The lane of <paramref name="key"/> (null: the partition's keyless lane), created when missing.</summary>
    public KeyLane Lane(byte[]? key)
    {
        if (key is null)
        {
            return _keyless ??= new KeyLane();
        }

        if (!_keyed.TryGetValue(key, out var lane))
        {
            lane = new KeyLane();
            _keyed[key] = lane;
        }

        return lane;
    }

    /// <summary>The lane of <paramref name="key"/> if it exists.</summary>
    public bool TryGet(byte[]? key, out KeyLane lane)
    {
        if (key is null)
        {
            lane = _keyless!;
            return _keyless is not null;
        }

        return _keyed.TryGetValue(key, out lane!);
    }

    /// <summary>Forgets a free, empty lane (memory stays proportional to the lanes in use).</summary>
    public void Remove(byte[]? key)
    {
        if (key is null)
        {
            _keyless = null;
        }
        else
        {
            _keyed.Remove(key);
        }
    }

    /// <summary>Every parked record, lane by lane; the lanes are emptied.</summary>
    public List<PendingRecord> DrainWaiting()
    {
        var records = new List<PendingRecord>(Parked);
        foreach (var lane in _keyless is null ? _keyed.Values : _keyed.Values.Append(_keyless))
        {
            records.AddRange(lane.Waiting);
            lane.Waiting.Clear();
        }

        return records;
    }
}
