using Delivery.Destinations.Tests.Testing;

namespace Delivery.Destinations.Tests.HttpBatch;

/// <summary>The HttpBatch settings rules, through the factory's binding as validate-config runs them.</summary>
public sealed class HttpBatchSettingsTests
{
    private const string Key = "Delivery:Destinations:batch:Settings";

    private static IReadOnlyList<string> Validate(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Delivery:Destinations:batch:Http:BaseAddress"] = "http://127.0.0.1:9/" };
        foreach (var (key, value) in settings)
        {
            values[$"{Key}:{key}"] = value;
        }

        using var host = new DestinationHost(values);
        return host.Validate("HttpBatch", "batch");
    }

    [Fact]
    public void Validate_Defaults_NoProblem() => Assert.Empty(Validate());

    [Theory]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData("")]
    public void Validate_EventIdFieldBlank_NamesKey(string field)
        => Assert.Equal([$"{Key}:EventIdField: must not be blank when set"], Validate(("EventIdField", field)));

    [Fact]
    public void Validate_EventIdFieldSet_NoProblem() => Assert.Empty(Validate(("EventIdField", "messageId")));

    [Theory]
    [InlineData(" ")]
    [InlineData("")]
    public void Validate_EventsFieldBlank_NamesKey(string field)
        => Assert.Equal([$"{Key}:EventsField: is required"], Validate(("EventsField", field)));
}
