using System.Text;
using System.Text.Json;
using Delivery.Destinations.Tests.Testing;
using Delivery.Destinations.Validation;

namespace Delivery.Destinations.Tests.Validation;

public sealed class EventPreValidatorTests
{
    [Fact]
    public void Validate_NotJson_ExactMessage()
        => Assert.Equal("The event value is not valid JSON.", new EventPreValidator(requireJson: true, requireObject: false, []).Validate(Events.Json("not json")));

    [Fact]
    public void Validate_ArrayWhereObjectRequired_NamesTheKind()
        => Assert.Equal("The event value must be a JSON object, not Array.", new EventPreValidator(requireJson: true, requireObject: true, []).Validate(Events.Json("[1]")));

    [Fact]
    public void Validate_OnePathMissing_NamesThePath()
        => Assert.Equal("$.user.email is required", new EventPreValidator(requireJson: false, requireObject: false, ["$.user.email"]).Validate(Events.Json("{}")));

    [Fact]
    public void Validate_SeveralPathsMissing_NamesThemAll()
        => Assert.Equal("at least one of $.email, $.phone is required", new EventPreValidator(false, false, ["$.email", "$.phone"]).Validate(Events.Json("{}")));

    [Fact]
    public void Validate_NothingRequired_AcceptsAnyBytes()
        => Assert.Null(new EventPreValidator(requireJson: false, requireObject: false, []).Validate(Events.Json("not json")));

    [Fact]
    public void Validate_PathsImplyJson_NotJsonRejected()
        => Assert.Equal("The event value is not valid JSON.", new EventPreValidator(false, false, ["$.a"]).Validate(Events.Json("{")));

    [Fact]
    public void New_BadPath_ThrowsNamingIt()
        => Assert.StartsWith("Invalid JSON path 'email'.", Assert.Throws<ArgumentException>(() => new EventPreValidator(false, false, ["email"])).Message, StringComparison.Ordinal);

    [Fact]
    public void SettingsValidationRequireAnyOf_Null_Throws()
        => Assert.Throws<ArgumentNullException>(() => SettingsValidation.RequireAnyOf(null!).ToList());

    [Fact]
    public void New_NullPaths_Throws() => Assert.Throws<ArgumentNullException>(() => new EventPreValidator(false, false, null!));

    [Fact]
    public void Validate_NullEvent_Throws() => Assert.Throws<ArgumentNullException>(() => new EventPreValidator(true, false, []).Validate(null!));

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("  [1, {\"b\": [true, null]}]  ")]
    [InlineData("\"text\"")]
    [InlineData("-1.5e3")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{} {}")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("// comment\n{}")]
    [InlineData("{} x")]
    [InlineData("1 2")]
    [InlineData("'single'")]
    [InlineData("NaN")]
    public void Scan_AnyInput_AgreesWithJsonDocument(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(DocumentKind(bytes), EventPreValidator.Scan(bytes));
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Scan_Nesting_SameDepthLimitAsJsonDocument(int depth, bool valid)
    {
        var text = new string('[', depth) + new string(']', depth);
        Assert.Equal(valid ? JsonValueKind.Array : null, EventPreValidator.Scan(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Scan_InvalidUtf8InString_AgreesWithJsonDocument()
    {
        byte[] bytes = [(byte)'"', 0xC3, 0x28, (byte)'"'];
        Assert.Equal(DocumentKind(bytes), EventPreValidator.Scan(bytes));
    }

    [Fact]
    public void Validate_ShapeOnly_AcceptsOneObjectRejectsOthers()
    {
        var evt = Events.Json("{\"a\":1}");
        Assert.Null(new EventPreValidator(requireJson: true, requireObject: true, []).Validate(evt));
        Assert.Equal("The event value must be a JSON object, not String.", new EventPreValidator(true, true, []).Validate(Events.Json("\"s\"")));
        Assert.Equal("The event value is not valid JSON.", new EventPreValidator(true, false, []).Validate(Events.Json("{} {}")));
    }

    private static JsonValueKind? DocumentKind(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
