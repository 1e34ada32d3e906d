namespace Delivery.Destinations.Webhook;

/// <summary>Settings of a Webhook destination (<c>Delivery:Destinations:{name}:Settings</c>).</summary>
internal sealed class WebhookSettings : IDestinationSettings
{
    /// <summary>Path appended to <c>Http:BaseAddress</c>. Default empty (post to the base address).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>How many requests of one batch run at the same time. Default 8, range 1–256.</summary>
    public int MaxParallel { get; set; } = 8;

    /// <summary>Content-Type of the requests (the body is the record value, byte for byte). Default <c>application/json</c>.</summary>
    public string ContentType { get; set; } = "application/json";

    /// <summary>
    /// File holding the signing secret(s); re-read when the file changes (rotation without restart). Default unset
    /// (no signature). What it holds and which headers it signs depends on <see cref="SignatureScheme"/>.
    /// </summary>
    public string? SignatureSecretFile { get; set; }

    /// <summary>
    /// How requests are signed: <c>StandardWebhooks</c> (<c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of
    /// "id.timestamp.body"&gt;</c>, whitespace-separated <c>whsec_</c> secrets, one signature each), <c>XSignature</c>
    /// (<c>X-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>, the whole file is the secret), or <c>Auto</c>:
    /// StandardWebhooks when the file starts with <c>whsec_</c>, XSignature otherwise. Default <c>Auto</c>.
    /// </summary>
    public string SignatureScheme { get; set; } = WebhookSignatureSchemes.Auto;

    /// <summary>Pre-validation: JSON paths of which at least one must be present. Default empty (no check).</summary>
    public IList<string> RequireAnyOf { get; set; } = [];

    /// <inheritdoc />
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

        if (!WebhookSignatureSchemes.IsKnown(SignatureScheme))
        {
            yield return (nameof(SignatureScheme), $"must be {WebhookSignatureSchemes.Auto}, {WebhookSignatureSchemes.StandardWebhooks} or {WebhookSignatureSchemes.XSignature} (was '{SignatureScheme}')");
        }
    }
}
