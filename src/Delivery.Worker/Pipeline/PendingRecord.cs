using Confluent.Kafka;
using Delivery.Core.Events;

namespace Delivery.Worker.Pipeline;

/// <summary>A consumed record, tracked and not yet resolved.</summary>
internal sealed class PendingRecord(PartitionState partition, long offset, Message<byte[], byte[]> message, DeliveryEvent evt)
{
    private int _done;
    private long _notBeforeTicks;

    /// <summary>Its partition.</summary>
    public PartitionState Partition { get; } = partition;

    /// <summary>Its offset.</summary>
    public long Offset { get; } = offset;

    /// <summary>The record as consumed (key, value and headers byte for byte).</summary>
    public Message<byte[], byte[]> Message { get; } = message;

    /// <summary>The event handed to the handler.</summary>
    public DeliveryEvent Event { get; } = evt;

    /// <summary>
    /// A retry record's due time (<c>delivery-not-before</c>); null for a first attempt. The batcher keeps a record back
    /// until then, and counts a late one's MaxWait from then.
    /// </summary>
    public DateTimeOffset? NotBefore
    {
        get => _notBeforeTicks == 0 ? null : new DateTimeOffset(_notBeforeTicks, TimeSpan.Zero);
        init => _notBeforeTicks = value?.UtcTicks ?? 0; // 8 bytes per record, not the 24 of a DateTimeOffset?
    }

    /// <summary>Times the event was redriven from the DLQ.</summary>
    public int RedriveCount { get; init; }

    /// <summary>Why a retry record's headers could not be parsed; null for a well-formed record.</summary>
    public string? MalformedProblem { get; init; }

    /// <summary>True once a worker started it (counted in <see cref="PartitionState.Started"/>).</summary>
    public bool Started { get; set; }

    /// <summary>Claims the record's single resolution (resolve or abandon); false if already claimed.</summary>
    public bool TryComplete() => Interlocked.Exchange(ref _done, 1) == 0;
}
