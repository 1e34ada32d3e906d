namespace Delivery.Destinations.Webhook;

/// <summary>The values of a Webhook destination's <c>Settings:SignatureScheme</c> (compared ignoring case).</summary>
internal static class WebhookSignatureSchemes
{
    /// <summary>StandardWebhooks when the secret file starts with <c>whsec_</c>, XSignature otherwise (the default).</summary>
    public const string Auto = "Auto";

    /// <summary><c>webhook-signature</c> over <c>id.timestamp.body</c> with <c>whsec_</c> secrets.</summary>
    public const string StandardWebhooks = "StandardWebhooks";

    /// <summary><c>X-Signature: sha256=&lt;hex&gt;</c> over the body, the whole file being the secret.</summary>
    public const string XSignature = "XSignature";

    /// <summary>True for one of the three values.</summary>
    public static bool IsKnown(string? scheme)
        => Is(scheme, Auto) || Is(scheme, StandardWebhooks) || Is(scheme, XSignature);

    /// <summary>True when <paramref name="scheme"/> is <paramref name="value"/>, ignoring case.</summary>
    public static bool Is(string? scheme, string value) => string.Equals(scheme, value, StringComparison.OrdinalIgnoreCase);
}
