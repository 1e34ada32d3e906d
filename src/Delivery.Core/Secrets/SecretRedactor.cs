using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;

namespace Delivery.Core.Secrets;

/// <summary>
/// The one place secrets are masked, shared by everything the worker writes: log events (the Serilog enricher), the
/// error message and body of retry and dead-letter records (the handler decorator and the header codec), and CLI
/// output (<c>dlq inspect</c>). It replaces with <see cref="Mask"/>:
/// <list type="bullet">
/// <item>every secret value the worker loads, found from the <c>Delivery</c> configuration by key name
/// (<see cref="IsSensitiveName"/>): files (<c>…TokenFile</c>, <c>…PasswordFile</c>, <c>…SecretFile</c>, re-read when
/// they change, old values kept), environment variables (<c>BearerTokenEnvironmentVariable</c>) and literal values
/// (<c>Kafka:Client:sasl.password</c>), also in their JSON-escaped and URL-encoded forms and, for basic auth, as the
/// base64 <c>user:password</c> of the header;</item>
/// <item>credential patterns whatever their origin: <c>Bearer &lt;token&gt;</c> and <c>Basic &lt;base64 user:password&gt;</c>.</item>
/// </list>
/// Values shorter than <see cref="MinimumSecretLength"/> characters are not searched for (they would mask ordinary
/// text); the patterns still apply.
/// </summary>
internal sealed partial class SecretRedactor
{
    /// <summary>What a redacted secret is written as.</summary>
    public const string Mask = "***";

    /// <summary>Shortest secret value searched for in text.</summary>
    public const int MinimumSecretLength = 4;

    private static readonly string[] SensitiveFragments = ["token", "password", "secret", "authorization", "credential", "apikey", "api-key", "api_key", "sasl.jaas"];
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly SecretSource[] _sources;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _refreshedAt;
    private bool _refreshed;
    private string[] _needles = [];

    /// <summary>Creates a redactor for <paramref name="sources"/>.</summary>
    public SecretRedactor(IEnumerable<SecretSource> sources, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(time);
        _sources = [.. sources];
        _time = time;
    }

    /// <summary>A redactor that knows no secret values: only the credential patterns.</summary>
    public static SecretRedactor PatternsOnly { get; } = new([], TimeProvider.System);

    /// <summary>Where the secrets come from (configuration keys, never values).</summary>
    public IEnumerable<string> Sources => _sources.Select(static s => s.Description);

    /// <summary>True when a property, header or configuration key name looks like it carries a secret.</summary>
    public static bool IsSensitiveName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var fragment in SensitiveFragments)
        {
            if (name.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Finds the secrets of the <c>Delivery</c> section of <paramref name="configuration"/>.</summary>
    public static SecretRedactor FromConfiguration(IConfiguration configuration, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sources = new List<SecretSource>();
        var section = configuration.GetSection(DeliveryOptions.SectionName);
        foreach (var (key, value) in section.AsEnumerable().OrderBy(static kv => kv.Key, StringComparer.Ordinal))
        {
            var name = key[(key.LastIndexOf(':') + 1)..];
            if (string.IsNullOrWhiteSpace(value) || !IsSensitiveName(name))
            {
                continue;
            }

            if (name.EndsWith("File", StringComparison.OrdinalIgnoreCase))
            {
                var user = name.Equals(nameof(DestinationHttpOptions.BasicAuthPasswordFile), StringComparison.OrdinalIgnoreCase)
                    ? configuration[$"{key[..key.LastIndexOf(':')]}:{nameof(DestinationHttpOptions.BasicAuthUser)}"]
                    : null;
                sources.Add(SecretSource.File(key, value, user is { Length: > 0 } ? password => [BasicCredential(user, password)] : null));
            }
            else if (name.EndsWith("EnvironmentVariable", StringComparison.OrdinalIgnoreCase))
            {
                sources.Add(SecretSource.EnvironmentVariable(key, value));
            }
            else
            {
                sources.Add(SecretSource.Literal(key, value));
            }
        }

        return new SecretRedactor(sources, time);
    }

    /// <summary>The base64 <c>user:password</c> of a basic-auth header.</summary>
    public static string BasicCredential(string user, string password)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary><paramref name="text"/> with every known secret and credential pattern replaced by <see cref="Mask"/>.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var needle in Needles())
        {
            if (text.Contains(needle, StringComparison.Ordinal))
            {
                text = text.Replace(needle, Mask, StringComparison.Ordinal);
            }
        }

        return Credential().Replace(text, static match => IsCredential(match) ? $"{match.Groups["scheme"].Value}{match.Groups["space"].Value}{Mask}" : match.Value);
    }

    /// <summary>True when <paramref name="text"/> holds something <see cref="Redact(string)"/> would mask.</summary>
    public bool Leaks(string? text) => !string.Equals(Redact(text), text, StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="node"/> with every string value (at any depth) redacted: the same instance when there was
    /// nothing to mask, else a redacted copy.
    /// </summary>
    [return: NotNullIfNotNull(nameof(node))]
    public JsonNode? Redact(JsonNode? node)
    {
        if (node is null || !Leaks(node.ToJsonString()))
        {
            return node;
        }

        return Copy(node)!;
    }

    private JsonNode? Copy(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Copy(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Copy)]),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Redact(value.GetValue<string>())),
        _ => node.DeepClone(),
    };

    private string[] Needles()
    {
        if (_sources.Length == 0)
        {
            return [];
        }

        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_refreshed && _time.GetElapsedTime(_refreshedAt, now) < RefreshInterval)
            {
                return _needles;
            }

            var needles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var value in _sources.SelectMany(static s => s.Refresh()).Where(static v => v.Length >= MinimumSecretLength))
            {
                needles.Add(value);
                needles.Add(Uri.EscapeDataString(value));
                needles.Add(JsonEncodedText.Encode(value).ToString());
                needles.Add(JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString());
            }

            // Longest first, so a secret that contains another is masked whole.
            _needles = [.. needles.OrderByDescending(static n => n.Length).ThenBy(static n => n, StringComparer.Ordinal)];
            _refreshedAt = now;
            _refreshed = true;
            return _needles;
        }
    }

    // Bearer: a token68 of at least 8 characters that is not a plain word ("Bearer authentication" stays readable).
    // Basic: base64 that decodes to user:password.
    private static bool IsCredential(Match match)
    {
        var credential = match.Groups["credential"].Value;
        if (match.Groups["scheme"].Value.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return credential.Length >= 8 && credential.Any(static c => !char.IsLetter(c));
        }

        var padded = credential.TrimEnd('=');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        var buffer = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, buffer, out var written)
            && Encoding.UTF8.GetString(buffer, 0, written).Contains(':', StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic))(?<space>\s+)(?<credential>[A-Za-z0-9\-._~+/]+=*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();
}
