using System.Text;
using Delivery.Core.Events;

namespace Delivery.Destinations.Tests.Testing;

/// <summary>Builds delivery events for tests.</summary>
internal static class Events
{
    public static readonly DateTimeOffset SourceTime = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    public static DeliveryEvent Json(string json, string? eventId = null, int attempt = 1, int offset = 0) => new()
    {
        EventId = eventId ?? $"orders/0/{offset}",
        Value = Encoding.UTF8.GetBytes(json),
        Attempt = attempt,
        Origin = new EventOrigin("orders", 0, offset, SourceTime),
        FirstAttemptAt = SourceTime,
    };

    /// <summary>n events <c>{"n":i}</c> with ids orders/0/i.</summary>
    public static DeliveryBatch Batch(int count, string destination = "dest")
        => new(destination, [.. Enumerable.Range(0, count).Select(i => Json($"{{\"n\":{i}}}", offset: i))]);

    public static DeliveryBatch Batch(string destination, params DeliveryEvent[] events) => new(destination, events);
}
