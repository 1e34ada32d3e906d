namespace Delivery.Testing;

/// <summary>The kinds of <see cref="EventVerdict"/>.</summary>
internal enum VerdictKind
{
    /// <summary>The API confirmed the event (2xx).</summary>
    Accepted,

    /// <summary>The API rejected the event by itself.</summary>
    Rejected,

    /// <summary>Nothing was confirmed: whole-request failure, unreadable answer or no answer.</summary>
    Unconfirmed,
}
