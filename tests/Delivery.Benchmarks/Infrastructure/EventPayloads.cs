using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>The benchmark records: a ~200-byte JSON object value, key <c>k-{i}</c>, header <c>event-id: evt-{i}</c>.</summary>
internal static class EventPayloads
{
    public const string EventIdHeader = "event-id";

    public static string EventId(int i) => string.Create(CultureInfo.InvariantCulture, $"evt-{i:D9}");

    public static byte[] Value(int i) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"id\":\"{EventId(i)}\",\"type\":\"order.created\",\"occurredAt\":\"2026-11-23T18:00:00.000Z\",\"customer\":{{\"id\":\"c-{i % 100_000:D6}\",\"tier\":\"gold\"}},\"amount\":{{\"value\":{i % 10_000},\"currency\":\"EUR\"}},\"items\":{i % 7 + 1},\"note\":\"benchmark payload\"}}"));

    public static Message<byte[], byte[]> Message(int i) => new()
    {
        Key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"k-{i}")),
        Value = Value(i),
        Headers = new Headers { { EventIdHeader, Encoding.UTF8.GetBytes(EventId(i)) } },
    };
}
