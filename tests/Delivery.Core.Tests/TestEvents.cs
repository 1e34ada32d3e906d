using System.Text;
using Delivery.Core.Events;

namespace Delivery.Core.Tests;

/// <summary>Builds events and batches for the unit tests.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static DeliveryEvent Event(int offset, int attempt = 1, DateTimeOffset? firstAttemptAt = null, string? json = null) => new()
    {
        EventId = $"orders/0/{offset}",
        Value = Encoding.UTF8.GetBytes(json ?? $"{{\"id\":{offset}}}"),
        Attempt = attempt,
        FirstAttemptAt = firstAttemptAt ?? Now,
        Origin = new EventOrigin("orders", 0, offset, Now),
    };

    public static DeliveryBatch Batch(int count, int attempt = 1, DateTimeOffset? firstAttemptAt = null)
        => new("orders", [.. Enumerable.Range(0, count).Select(i => Event(i, attempt, firstAttemptAt))]);
}
