using System.Text.Json;

namespace Delivery.Core.Events;

/// <summary>One event to deliver. Handlers never see Kafka types; this is all they get.</summary>
public sealed class DeliveryEvent
{
    private JsonDocument? _json;
    private bool _parsed;

    /// <summary>The stable <c>delivery-event-id</c>: the configured source header, else <c>topic/partition/offset</c> of the first sighting.</summary>
    public required string EventId { get; init; }

    /// <summary>The record key, byte for byte; null when the record had none.</summary>
    public ReadOnlyMemory<byte>? Key { get; init; }

    /// <summary>The record value, byte for byte.</summary>
    public ReadOnlyMemory<byte> Value { get; init; }

    /// <summary>The record's own headers (the worker's <c>delivery-*</c> headers removed).</summary>
    public IReadOnlyList<EventHeader> Headers { get; init; } = [];

    /// <summary>1 on the first delivery, 2 on the first retry, and so on.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>When the event was first attempted.</summary>
    public DateTimeOffset FirstAttemptAt { get; init; }

    /// <summary>Where the event was first seen.</summary>
    public EventOrigin Origin { get; init; }

    /// <summary>The W3C <c>traceparent</c> the producer attached, if any.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Size of key plus value in bytes, used for batch cutting.</summary>
    public int SizeInBytes => Value.Length + (Key?.Length ?? 0);

    /// <summary>
    /// The value parsed as JSON, once, on first use. False when the value is not valid JSON.
    /// The element is read-only and shared; copy it (e.g. <c>JsonNode.Parse(Value.Span)</c>) to modify.
    /// </summary>
    public bool TryGetJson(out JsonElement json)
    {
        if (!_parsed)
        {
            try
            {
                _json = JsonDocument.Parse(Value);
            }
            catch (JsonException)
            {
                _json = null;
            }

            _parsed = true;
        }

        json = _json?.RootElement ?? default;
        return _json is not null;
    }
}
