using Delivery.Destinations.Tests.Testing;

namespace Delivery.Destinations.Tests.Webhook;

/// <summary>The Webhook settings rules, through the factory's binding as validate-config runs them.</summary>
public sealed class WebhookSettingsTests
{
    private const string Key = "Delivery:Destinations:hook:Settings";

    private static IReadOnlyList<string> Validate(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Delivery:Destinations:hook:Http:BaseAddress"] = "http://127.0.0.1:9/" };
        foreach (var (key, value) in settings)
        {
            values[$"{Key}:{key}"] = value;
        }

        using var host = new DestinationHost(values);
        return host.Validate("Webhook", "hook");
    }

    [Fact]
    public void Validate_Defaults_NoProblem() => Assert.Empty(Validate());

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/cloudevents+json")]
    public void Validate_MediaTypeContentType_NoProblem(string contentType)
        => Assert.Empty(Validate(("ContentType", contentType)));

    [Theory]
    [InlineData("json")]
    [InlineData("application/")]
    [InlineData("/json")]
    [InlineData("application json")]
    [InlineData(" ")]
    public void Validate_ContentTypeNotAMediaType_NamesKey(string contentType)
        => Assert.Equal([$"{Key}:ContentType: must be a media type such as application/json"], Validate(("ContentType", contentType)));

    [Fact]
    public void Validate_ContentTypeEmpty_NamesKey()
    {
        // An empty configuration value binds as an empty string, which is no media type either.
        Assert.Equal([$"{Key}:ContentType: must be a media type such as application/json"], Validate(("ContentType", "")));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\t")]
    public void Validate_SignatureSecretFileBlank_NamesKey(string path)
        => Assert.Equal([$"{Key}:SignatureSecretFile: must not be blank when set"], Validate(("SignatureSecretFile", path)));

    [Fact]
    public void Validate_SignatureSecretFileSet_NoProblem()
        => Assert.Empty(Validate(("SignatureSecretFile", "/run/secrets/webhook")));

    [Theory]
    [InlineData("Auto")]
    [InlineData("StandardWebhooks")]
    [InlineData("XSignature")]
    [InlineData("standardwebhooks")]
    [InlineData("XSIGNATURE")]
    public void Validate_KnownSignatureScheme_NoProblem(string scheme)
        => Assert.Empty(Validate(("SignatureScheme", scheme)));

    [Theory]
    [InlineData("HMAC")]
    [InlineData("Standard Webhooks")]
    [InlineData("")]
    public void Validate_UnknownSignatureScheme_NamesKeyAndValues(string scheme)
        => Assert.Equal([$"{Key}:SignatureScheme: must be Auto, StandardWebhooks or XSignature (was '{scheme}')"], Validate(("SignatureScheme", scheme)));

    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    public void Validate_MaxParallelOutOfRange_NamesKey(string value)
        => Assert.Equal([$"{Key}:MaxParallel: must be between 1 and 256"], Validate(("MaxParallel", value)));

    [Theory]
    [InlineData("1")]
    [InlineData("256")]
    public void Validate_MaxParallelAtBounds_NoProblem(string value) => Assert.Empty(Validate(("MaxParallel", value)));
}
