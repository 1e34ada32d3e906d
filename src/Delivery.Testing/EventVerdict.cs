namespace Delivery.Testing;

/// <summary>What the scripted API last said about one event.</summary>
/// <param name="Kind">Accepted, rejected, or unconfirmed (the request failed as a whole or its answer was unreadable).</param>
/// <param name="Status">The status given for it (the whole-request status when unconfirmed), if any.</param>
/// <param name="Request">The number (1-based) of the request that carried it.</param>
/// <param name="ApiIndex">Its index within that request.</param>
internal sealed record EventVerdict(VerdictKind Kind, int? Status, int Request, int ApiIndex);
