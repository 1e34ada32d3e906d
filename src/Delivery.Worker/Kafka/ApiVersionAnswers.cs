using System.Globalization;
using System.Text.RegularExpressions;

namespace Delivery.Worker.Kafka;

/// <summary>
/// The ApiVersions answers of brokers as librdkafka logs them with <c>debug=feature</c> (facility <c>APIVERSION</c>:
/// a line <c>Broker API support:</c>, then one line <c>ApiKey Name (key) Versions min..max</c> per API), grouped by the
/// broker connection that logged them. Confluent.Kafka exposes no ApiVersions call, so this is how an admin client
/// learns what the brokers serve. Thread-safe (log callbacks come from librdkafka's broker threads).
/// </summary>
internal sealed partial class ApiVersionAnswers
{
    /// <summary>The facility librdkafka logs the answer under.</summary>
    public const string Facility = "APIVERSION";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<short>> _byBroker = new(StringComparer.Ordinal);

    /// <summary>Brokers whose answer was seen.</summary>
    public int Brokers
    {
        get
        {
            lock (_gate)
            {
                return _byBroker.Count;
            }
        }
    }

    /// <summary>Reads one librdkafka log line; lines of other facilities or shapes are ignored.</summary>
    public void Add(string? facility, string? message)
    {
        if (!string.Equals(facility, Facility, StringComparison.Ordinal) || message is null)
        {
            return;
        }

        var broker = BrokerName().Match(message) is { Success: true } b ? b.Groups["broker"].Value : "?";
        lock (_gate)
        {
            if (message.Contains("Broker API support:", StringComparison.Ordinal))
            {
                // A new answer (a reconnect) replaces what this connection said before.
                _byBroker[broker] = [];
                return;
            }

            if (ApiLine().Match(message) is { Success: true } api && _byBroker.TryGetValue(broker, out var keys))
            {
                keys.Add(short.Parse(api.Groups["key"].Value, NumberStyles.Integer, CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>True when every broker that answered serves <paramref name="apiKey"/>, false when one does not, null when none answered.</summary>
    public bool? AllServe(short apiKey)
    {
        lock (_gate)
        {
            return _byBroker.Count == 0 ? null : _byBroker.Values.All(k => k.Contains(apiKey));
        }
    }

    // "[thrd:127.0.0.1:40123/bootstrap]: 127.0.0.1:40123/bootstrap:   ApiKey Produce (0) Versions 0..10"
    [GeneratedRegex(@"^\[thrd:[^\]]*\]:\s*(?<broker>\S+?):\s", RegexOptions.CultureInvariant)]
    private static partial Regex BrokerName();

    [GeneratedRegex(@"ApiKey \S+ \((?<key>-?\d+)\) Versions -?\d+\.\.-?\d+", RegexOptions.CultureInvariant)]
    private static partial Regex ApiLine();
}
