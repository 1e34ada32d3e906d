using Delivery.Destinations.Validation;

namespace Delivery.Destinations.Webhook;

/// <summary>Settings of a Webhook destination (<c>Delivery:Destinations:{name}:Settings</c>).</summary>
internal sealed class WebhookSettings
{
    /// <summary>Path appended to <c>Http:BaseAddress</c>. Default empty (post to the base address).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>How many requests of one batch run at the same time. Default 8, range 1–256.</summary>
    public int MaxParallel { get; set; } = 8;

    /// <summary>Content-Type of the requests (the body is the record value, byte for byte). Default <c>application/json</c>.</summary>
    public string ContentType { get; set; } = "application/json";

    /// <summary>
    /// File holding the HMAC secret. When set, every request carries <c>X-Signature: sha256=&lt;hex&gt;</c>, the
    /// HMAC-SHA256 of the body (before any gzip encoding). Re-read when the file changes. Default unset (no signature).
    /// </summary>
    public string? SignatureSecretFile { get; set; }

    /// <summary>Pre-validation: JSON paths of which at least one must be present. Default empty (no check).</summary>
    public IList<string> RequireAnyOf { get; set; } = [];

    /// <summary>Problems as (key relative to Settings, problem).</summary>
    public IEnumerable<(string Key, string Problem)> Validate()
    {
        if (MaxParallel is < 1 or > 256)
        {
            yield return (nameof(MaxParallel), "must be between 1 and 256");
        }

        if (string.IsNullOrWhiteSpace(ContentType) || !System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(ContentType, out _))
        {
            yield return (nameof(ContentType), "must be a media type such as application/json");
        }

        if (SignatureSecretFile is not null && string.IsNullOrWhiteSpace(SignatureSecretFile))
        {
            yield return (nameof(SignatureSecretFile), "must not be blank when set");
        }

        foreach (var problem in SettingsValidation.RelativePath(nameof(Path), Path))
        {
            yield return problem;
        }

        foreach (var problem in SettingsValidation.RequireAnyOf(RequireAnyOf))
        {
            yield return problem;
        }
    }
}
