using Delivery.Core.Events;

namespace Delivery.Worker.Pipeline;

/// <summary>The decoder's verdict on one consumed record.</summary>
/// <param name="Kind">Ready, malformed or not yet due.</param>
/// <param name="Event">The event (ready or malformed); null when not yet due.</param>
/// <param name="RedriveCount">Times the event was redriven from the DLQ.</param>
/// <param name="Problem">Why a retry record is malformed; else null.</param>
/// <param name="DueAt">
/// When a retry record is due (<c>delivery-not-before</c>): later than the decoder's clock for a not-yet-due one, and
/// possibly a little later for a ready one taken early (within the decoder's prefetch window); default for source records.
/// </param>
internal readonly record struct DecodedRecord(DecodedKind Kind, DeliveryEvent? Event, int RedriveCount, string? Problem, DateTimeOffset DueAt);
