using System.Text.Json.Nodes;
using Delivery.Core.Secrets;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Configuration;

namespace Delivery.Core.Tests.Secrets;

public sealed class SecretRedactorTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "redactor-" + Guid.NewGuid().ToString("N"));

    public SecretRedactorTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Redact_KafkaSaslPassword_MaskedWherever()
    {
        var redactor = FromConfiguration(("Delivery:Kafka:Client:sasl.password", "s3cr3t-pw"), ("Delivery:Kafka:Client:sasl.username", "worker"));

        Assert.Equal("login worker/*** failed", redactor.Redact("login worker/s3cr3t-pw failed"));
        Assert.Equal(["Delivery:Kafka:Client:sasl.password"], redactor.Sources);
    }

    [Fact]
    public void Redact_TokenFile_MaskedAndStillMaskedAfterRotation()
    {
        var file = Write("token", "first-token-value\n");
        var time = new FakeTimeProvider();
        var redactor = FromConfiguration(time, ("Delivery:Destinations:orders:Http:BearerTokenFile", file));

        Assert.Equal("got *** back", redactor.Redact("got first-token-value back"));

        File.WriteAllText(file, "second-token-value");
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("*** and ***", redactor.Redact("first-token-value and second-token-value"));
    }

    [Fact]
    public void Redact_SigningSecretFileOfATypesSettings_Masked()
    {
        var file = Write("signing", "hmac-signing-key");
        var redactor = FromConfiguration(("Delivery:Destinations:hooks:Settings:SignatureSecretFile", file));

        Assert.Equal("key=***", redactor.Redact("key=hmac-signing-key"));
    }

    [Fact]
    public void Redact_BasicAuthPasswordFile_PasswordAndItsHeaderValueMasked()
    {
        var file = Write("password", "pa55word");
        var redactor = FromConfiguration(("Delivery:Destinations:orders:Http:BasicAuthUser", "alice"), ("Delivery:Destinations:orders:Http:BasicAuthPasswordFile", file));
        var header = SecretRedactor.BasicCredential("alice", "pa55word");

        Assert.Equal("pw *** header ***", redactor.Redact($"pw pa55word header {header}"));
        Assert.Equal("alice", redactor.Redact("alice")); // the user name is not a secret
    }

    [Fact]
    public void Redact_TokenEnvironmentVariable_Masked()
    {
        var variable = $"REDACTOR_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "env-token-123");
        try
        {
            var redactor = FromConfiguration(("Delivery:Destinations:orders:Http:BearerTokenEnvironmentVariable", variable));

            Assert.Equal("x *** y", redactor.Redact("x env-token-123 y"));
            Assert.Equal(variable, redactor.Redact(variable)); // the variable's name is not a secret
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Redact_EscapedFormsOfASecret_Masked()
    {
        var redactor = FromConfiguration(("Delivery:Kafka:Client:sasl.password", "a+b/c\"d"));

        Assert.Equal("json ***", redactor.Redact("json a\\u002Bb/c\\u0022d"));
        Assert.Equal("url ***", redactor.Redact("url a%2Bb%2Fc%22d"));
        Assert.Equal("raw ***", redactor.Redact("raw a+b/c\"d"));
    }

    [Theory]
    [InlineData("Authorization: Bearer eyJhbGciOi.J9.abc-123", "Authorization: Bearer ***")]
    [InlineData("{\"authorization\":\"bearer abcdef123456\"}", "{\"authorization\":\"bearer ***\"}")]
    [InlineData("header Basic YWxpY2U6cGFzc3dvcmQ= was refused", "header Basic *** was refused")]
    [InlineData("Bearer authentication failed", "Bearer authentication failed")]
    [InlineData("Basic auth and a bearer token exclude each other", "Basic auth and a bearer token exclude each other")]
    [InlineData("Basic dGhpcyBpcyBub3Q=", "Basic dGhpcyBpcyBub3Q=")]
    public void Redact_CredentialPatterns_MaskedWithoutKnowingTheSecret(string text, string expected)
        => Assert.Equal(expected, SecretRedactor.PatternsOnly.Redact(text));

    [Fact]
    public void Redact_ShortSecret_NotSearchedFor()
    {
        var redactor = FromConfiguration(("Delivery:Kafka:Client:sasl.password", "abc"));

        Assert.Equal("abc is the alphabet", redactor.Redact("abc is the alphabet"));
    }

    [Fact]
    public void Redact_JsonNode_StringValuesMaskedAtAnyDepthAndTheOriginalUntouched()
    {
        var redactor = FromConfiguration(("Delivery:Kafka:Client:sasl.password", "s3cr3t-pw"));
        var body = JsonNode.Parse("""{"echo":{"headers":["x","Bearer abcdef123456"],"pw":"s3cr3t-pw"},"n":1}""")!;

        var redacted = redactor.Redact(body);

        Assert.Equal("""{"echo":{"headers":["x","Bearer ***"],"pw":"***"},"n":1}""", redacted.ToJsonString());
        Assert.Contains("s3cr3t-pw", body.ToJsonString(), StringComparison.Ordinal);
        var clean = JsonNode.Parse("""{"ok":true}""")!;
        Assert.Same(clean, redactor.Redact(clean));
    }

    [Theory]
    [InlineData("sasl.password", true)]
    [InlineData("BearerTokenFile", true)]
    [InlineData("Authorization", true)]
    [InlineData("SignatureSecretFile", true)]
    [InlineData("x-api-key", true)]
    [InlineData("sasl.username", false)]
    [InlineData("BaseAddress", false)]
    public void IsSensitiveName_KnownNames_AsExpected(string name, bool sensitive)
        => Assert.Equal(sensitive, SecretRedactor.IsSensitiveName(name));

    [Fact]
    public void Leaks_TextWithAndWithoutSecret_AsExpected()
    {
        Assert.True(SecretRedactor.PatternsOnly.Leaks("Bearer abcdef123456"));
        Assert.False(SecretRedactor.PatternsOnly.Leaks("nothing here"));
        Assert.False(SecretRedactor.PatternsOnly.Leaks(null));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static SecretRedactor FromConfiguration(params (string Key, string Value)[] values)
        => FromConfiguration(new FakeTimeProvider(), values);

    private static SecretRedactor FromConfiguration(TimeProvider time, params (string Key, string Value)[] values)
        => SecretRedactor.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build(),
            time);
}
