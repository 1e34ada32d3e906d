namespace Delivery.Core.Options;

/// <summary>The order in which a destination receives events (<c>Delivery:Destinations:{name}:Ordering</c>).</summary>
public enum DeliveryOrdering
{
    /// <summary>
    /// Default, today's behaviour: order per partition for first attempts only; a retried event goes to a retry-tier
    /// topic and loses its place (DESIGN.md §6).
    /// </summary>
    None = 0,

    /// <summary>
    /// Events with the same Kafka key reach the destination in partition order, across retries: a retry is held in
    /// place (same back-off, Retry-After, MaxAttempts and MaxAge rules, no tier topic) and later events of its key wait
    /// behind it while other keys keep flowing; a dead-lettered event releases its key. Events without a key are
    /// ordered per partition. At most one event per key is in flight, so a batch never holds two events of one key.
    /// </summary>
    PerKey = 1,
}
