namespace Delivery.Core.Secrets;

/// <summary>
/// Where one secret the worker loads comes from: a literal configuration value (e.g. <c>sasl.password</c>), a file
/// (a mounted secret, re-read when it changes) or an environment variable. Every value seen is kept, so a rotated
/// secret's old value stays redacted too.
/// </summary>
internal sealed class SecretSource
{
    private readonly Lock _gate = new();
    private readonly Func<string?> _read;
    private readonly Func<string, IEnumerable<string>>? _derive;
    private readonly List<string> _values = [];
    private string? _last;

    private SecretSource(string description, Func<string?> read, Func<string, IEnumerable<string>>? derive)
    {
        Description = description;
        _read = read;
        _derive = derive;
    }

    /// <summary>The configuration key the secret comes from (never its value).</summary>
    public string Description { get; }

    /// <summary>A secret written into the configuration itself.</summary>
    public static SecretSource Literal(string key, string value) => new(key, () => value, null);

    /// <summary>A secret kept in a file; <paramref name="derive"/> adds encodings of it (e.g. a basic-auth header value).</summary>
    public static SecretSource File(string key, string path, Func<string, IEnumerable<string>>? derive = null)
        => new(key, () => ReadFile(path), derive);

    /// <summary>A secret held in an environment variable.</summary>
    public static SecretSource EnvironmentVariable(string key, string variable)
        => new(key, () => Environment.GetEnvironmentVariable(variable)?.Trim(), null);

    /// <summary>Reads the source again and returns every value seen so far (and what is derived from each).</summary>
    public IReadOnlyList<string> Refresh()
    {
        var current = _read();
        lock (_gate)
        {
            if (current is { Length: > 0 } && !string.Equals(current, _last, StringComparison.Ordinal))
            {
                _last = current;
                Add(current);
                foreach (var derived in _derive?.Invoke(current) ?? [])
                {
                    Add(derived);
                }
            }

            return [.. _values];
        }
    }

    private void Add(string value)
    {
        if (!_values.Contains(value, StringComparer.Ordinal))
        {
            _values.Add(value);
        }
    }

    private static string? ReadFile(string path)
    {
        try
        {
            return System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // unreadable now: the destination reports it; values seen before stay redacted
        }
    }
}
