using Delivery.Core.Secrets;
using Serilog.Core;
using Serilog.Events;

namespace Delivery.Worker.Logging;

/// <summary>
/// Log side of the worker's one <see cref="SecretRedactor"/>: replaces the value of every log property — at any depth
/// of a structure or dictionary — whose name looks sensitive (<see cref="SecretRedactor.IsSensitiveName"/>) with
/// <see cref="Mask"/>, and redacts every string value (loaded secrets, <c>Bearer …</c>/<c>Basic …</c> credentials
/// anywhere in the text), so secrets never reach a sink even when somebody logs an options object or an error body.
/// </summary>
internal sealed class SecretMaskingEnricher : ILogEventEnricher
{
    /// <summary>What a masked value is rendered as.</summary>
    public const string Mask = SecretRedactor.Mask;

    private static readonly ScalarValue Masked = new(Mask);
    private readonly SecretRedactor _redactor;

    /// <summary>Masks with <paramref name="redactor"/> (the worker's, which knows the loaded secrets).</summary>
    public SecretMaskingEnricher(SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        _redactor = redactor;
    }

    /// <summary>Masks sensitive names and credential patterns only (no loaded secret is known).</summary>
    public SecretMaskingEnricher()
        : this(SecretRedactor.PatternsOnly)
    {
    }

    /// <summary>True when a property or key name looks like it carries a secret.</summary>
    public static bool IsSensitive(string name) => SecretRedactor.IsSensitiveName(name);

    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? replacements = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var masked = IsSensitive(name) ? Masked : MaskValue(value);
            if (!ReferenceEquals(masked, value))
            {
                (replacements ??= []).Add(new LogEventProperty(name, masked));
            }
        }

        if (replacements is null)
        {
            return;
        }

        foreach (var property in replacements)
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    private LogEventPropertyValue MaskValue(LogEventPropertyValue value)
    {
        switch (value)
        {
            case StructureValue structure:
            {
                var changed = false;
                var properties = new List<LogEventProperty>(structure.Properties.Count);
                foreach (var property in structure.Properties)
                {
                    var masked = IsSensitive(property.Name) ? Masked : MaskValue(property.Value);
                    changed |= !ReferenceEquals(masked, property.Value);
                    properties.Add(ReferenceEquals(masked, property.Value) ? property : new LogEventProperty(property.Name, masked));
                }

                return changed ? new StructureValue(properties, structure.TypeTag) : value;
            }

            case DictionaryValue dictionary:
            {
                var changed = false;
                var elements = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(dictionary.Elements.Count);
                foreach (var (key, element) in dictionary.Elements)
                {
                    var masked = key.Value is string name && IsSensitive(name) ? Masked : MaskValue(element);
                    changed |= !ReferenceEquals(masked, element);
                    elements.Add(new(key, masked));
                }

                return changed ? new DictionaryValue(elements) : value;
            }

            case SequenceValue sequence:
            {
                var changed = false;
                var elements = new List<LogEventPropertyValue>(sequence.Elements.Count);
                foreach (var element in sequence.Elements)
                {
                    var masked = MaskValue(element);
                    changed |= !ReferenceEquals(masked, element);
                    elements.Add(masked);
                }

                return changed ? new SequenceValue(elements) : value;
            }

            case ScalarValue { Value: string text } when _redactor.Leaks(text):
                return new ScalarValue(_redactor.Redact(text));

            default:
                return value;
        }
    }
}
