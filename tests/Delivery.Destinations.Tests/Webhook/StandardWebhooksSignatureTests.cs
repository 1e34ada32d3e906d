using System.Text;
using Delivery.Destinations.Webhook;

namespace Delivery.Destinations.Tests.Webhook;

public sealed class StandardWebhooksSignatureTests
{
    // The specification's own test vector: standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py
    // (test_sign_function), the same in the library tests of the other languages.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecPayload = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_SpecTestVector_MatchesSpecSignature()
    {
        Assert.True(StandardWebhooksSignature.TryParseSecrets(SpecSecret, out var keys));

        var signature = StandardWebhooksSignature.Sign(Assert.Single(keys), SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecPayload));

        Assert.Equal(SpecSignature, signature);
    }

    [Fact]
    public void Sign_OneByteOfBodyChanged_DifferentSignature()
    {
        Assert.True(StandardWebhooksSignature.TryParseSecrets(SpecSecret, out var keys));

        var signature = StandardWebhooksSignature.Sign(keys[0], SpecId, SpecTimestamp, Encoding.UTF8.GetBytes("{\"test\": 2432232315}"));

        Assert.NotEqual(SpecSignature, signature);
        Assert.StartsWith("v1,", signature, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("msg_p5jXN8AQM9LWM0D4loKWxJeK", SpecTimestamp)]
    [InlineData(SpecId, SpecTimestamp + 1)]
    public void Sign_IdOrTimestampChanged_DifferentSignature(string id, long timestamp)
    {
        Assert.True(StandardWebhooksSignature.TryParseSecrets(SpecSecret, out var keys));

        Assert.NotEqual(SpecSignature, StandardWebhooksSignature.Sign(keys[0], id, timestamp, Encoding.UTF8.GetBytes(SpecPayload)));
    }

    [Fact]
    public void Header_TwoSecrets_TwoSignaturesSpaceSeparatedInOrder()
    {
        var other = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        Assert.True(StandardWebhooksSignature.TryParseSecrets($"{other}\n  {SpecSecret}\n", out var keys));

        var header = StandardWebhooksSignature.Header(keys, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecPayload));

        var parts = header.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.Equal(StandardWebhooksSignature.Sign(keys[0], SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecPayload)), parts[0]);
        Assert.Equal(SpecSignature, parts[1]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_####")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw raw-second-secret")]
    [InlineData("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    public void TryParseSecrets_NotWhsecBase64_False(string content)
    {
        Assert.False(StandardWebhooksSignature.TryParseSecrets(content, out var keys));
        Assert.Empty(keys);
    }

    [Fact]
    public void TryParseSecrets_Whsec_DecodedKeyBytes()
    {
        Assert.True(StandardWebhooksSignature.TryParseSecrets(SpecSecret, out var keys));

        Assert.Equal(Convert.FromBase64String("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Assert.Single(keys));
    }

    [Fact]
    public void Nulls_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => StandardWebhooksSignature.Sign([1], null!, 1, []));
        Assert.Throws<ArgumentNullException>(() => StandardWebhooksSignature.Header(null!, "id", 1, []));
        Assert.Throws<ArgumentNullException>(() => StandardWebhooksSignature.TryParseSecrets(null!, out _));
    }
}
