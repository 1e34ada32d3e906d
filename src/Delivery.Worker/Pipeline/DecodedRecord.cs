using Delivery.Core.Events;

namespace Delivery.Worker.Pipeline;

/// <summary>The decoder's verdict on one consumed record.</summary>
/// <param name="Kind">Ready, malformed or not yet due.</param>
/// <param name="Event">The event (ready or malformed); null when not yet due.</param>
/// <param name="RedriveCount">Times the event was redriven from the DLQ.</param>
/// <param name="Problem">Why a retry record is malformed; else null.</param>
/// <param name="DueAt">When a not-yet-due record becomes due.</param>
internal readonly record struct DecodedRecord(DecodedKind Kind, DeliveryEvent? Event, int RedriveCount, string? Problem, DateTimeOffset DueAt);
