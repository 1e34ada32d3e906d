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
}
