using System.Text.Json;
using Delivery.Core.Events;

namespace Delivery.Destinations.Validation;

/// <summary>
/// Pre-validation of one event before it is sent (used with <c>ValidatedBatch.Create</c>): the value must be JSON
/// (or a JSON object) when the destination needs it, and at least one of the <c>Settings:RequireAnyOf</c> paths
/// must be present. Returns null for a valid event, else the reason.
/// </summary>
internal sealed class EventPreValidator
{
    private readonly bool _requireJson;
    private readonly bool _requireObject;
    private readonly JsonPath[] _anyOf;
    private readonly string _anyOfMessage;

    public EventPreValidator(bool requireJson, bool requireObject, IEnumerable<string> requireAnyOf)
    {
        ArgumentNullException.ThrowIfNull(requireAnyOf);
        _requireObject = requireObject;
        _anyOf = [.. requireAnyOf.Select(p => JsonPath.TryParse(p, out var path) ? path! : throw new ArgumentException($"Invalid JSON path '{p}'.", nameof(requireAnyOf)))];
        _requireJson = requireJson || requireObject || _anyOf.Length > 0;
        _anyOfMessage = _anyOf.Length == 1
            ? $"{_anyOf[0].Text} is required"
            : $"at least one of {string.Join(", ", _anyOf.Select(p => p.Text))} is required";
    }

    /// <summary>Null when <paramref name="deliveryEvent"/> may be sent, else why not.</summary>
    public string? Validate(DeliveryEvent deliveryEvent)
    {
        ArgumentNullException.ThrowIfNull(deliveryEvent);
        if (!_requireJson)
        {
            return null;
        }

        if (_anyOf.Length == 0)
        {
            // Only the shape is checked: a reader pass, without building (and caching) a document per event.
            if (Scan(deliveryEvent.Value.Span) is not { } kind)
            {
                return "The event value is not valid JSON.";
            }

            return _requireObject && kind != JsonValueKind.Object ? $"The event value must be a JSON object, not {kind}." : null;
        }

        if (!deliveryEvent.TryGetJson(out var json))
        {
            return "The event value is not valid JSON.";
        }

        if (_requireObject && json.ValueKind != JsonValueKind.Object)
        {
            return $"The event value must be a JSON object, not {json.ValueKind}.";
        }

        if (!Array.Exists(_anyOf, p => p.IsPresentIn(json)))
        {
            return _anyOfMessage;
        }

        return null;
    }

    /// <summary>
    /// The kind of the single JSON value in <paramref name="utf8"/>, or null when it is not exactly one valid JSON value
    /// (the rules of <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> with default options).
    /// </summary>
    internal static JsonValueKind? Scan(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            var kind = reader.TokenType switch
            {
                JsonTokenType.StartObject => JsonValueKind.Object,
                JsonTokenType.StartArray => JsonValueKind.Array,
                JsonTokenType.String => JsonValueKind.String,
                JsonTokenType.Number => JsonValueKind.Number,
                JsonTokenType.True => JsonValueKind.True,
                JsonTokenType.False => JsonValueKind.False,
                _ => JsonValueKind.Null,
            };
            reader.Skip();
            return reader.Read() ? null : kind;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
