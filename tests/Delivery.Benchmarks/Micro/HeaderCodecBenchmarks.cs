using System.Text;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Delivery.Core.Events;
using Delivery.Core.Outcomes;
using Delivery.Worker.Kafka;

namespace Delivery.Benchmarks.Micro;

/// <summary>The pipeline's DeliveryHeaderCodec: encode the headers of a retry record, decode them back, and the per-record header work on a source record.</summary>
[MemoryDiagnoser]
public class HeaderCodecBenchmarks
{
    private readonly DateTimeOffset _now = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);
    private Headers _original = null!;
    private Headers _encoded = null!;
    private Headers _source = null!;
    private object _values = null!;

    [GlobalSetup]
    public void Setup()
    {
        _original = new Headers
        {
            { "event-id", Encoding.UTF8.GetBytes("evt-000123456") },
            { "traceparent", Encoding.UTF8.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01") },
            { "content-type", Encoding.UTF8.GetBytes("application/json") },
        };
        var values = new DeliveryRecordHeaders
        {
            EventId = "evt-000123456",
            Attempt = 2,
            NotBefore = _now.AddSeconds(30),
            FirstAttemptAt = _now.AddSeconds(-5),
            Origin = new EventOrigin("orders", 3, 123_456, _now.AddSeconds(-6)),
            Destination = "orders-to-nakadi",
            ConsumerGroup = "delivery.orders-to-nakadi",
            Error = new DeliveryError(503, "SERVICE_UNAVAILABLE", "Service Unavailable: upstream overloaded"),
        };
        _values = values;
        _source = new Headers { { "event-id", Encoding.UTF8.GetBytes("evt-000123456") } };
        _encoded = DeliveryHeaderCodec.Encode(_original, values, 4096);
    }

    [Benchmark(Description = "encode retry headers")]
    public Headers Encode() => DeliveryHeaderCodec.Encode(_original, (DeliveryRecordHeaders)_values, 4096);

    [Benchmark(Description = "decode retry headers")]
    public bool Decode() => DeliveryHeaderCodec.TryDecode(_encoded, out _, out _);

    /// <summary>The header work the consume loop does for every source record (as in RecordDecoder.Decode).</summary>
    [Benchmark(Description = "source record: event id, redrive count, traceparent, event headers")]
    public int SourceRecord()
    {
        var scanned = SourceRecordHeaders.Read(_source, "event-id");
        return (scanned.CustomEventId?.Length ?? 0) + (scanned.RedriveCount?.Length ?? 0) + scanned.EventHeaders.Count + (scanned.TraceParent?.Length ?? 0);
    }
}
