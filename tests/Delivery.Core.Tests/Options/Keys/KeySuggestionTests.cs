using Delivery.Core.Options.Keys;

namespace Delivery.Core.Tests.Options.Keys;

public sealed class KeySuggestionTests
{
    [Theory]
    [InlineData("MaxEvent", "MaxEvents")]
    [InlineData("MaxAtempts", "MaxAttempts")]
    [InlineData("Pth", "Path")]
    [InlineData("maxevents", "MaxEvents")]
    [InlineData("MaxInFlightEvent", "MaxInFlightEvents")]
    public void Closest_OneEditAway_SuggestsTheKnownKey(string typed, string meant)
        => Assert.Equal(meant, KeySuggestion.Closest(typed, ["MaxEvents", "MaxBytes", "MaxAttempts", "Path", "MaxInFlightEvents"]));

    [Theory]
    [InlineData("Foo")]
    [InlineData("Colour")]
    [InlineData("P")]
    public void Closest_NothingClose_Null(string typed)
        => Assert.Null(KeySuggestion.Closest(typed, ["MaxEvents", "Path", "Type"]));

    [Fact]
    public void Closest_TwoEqualCandidates_TheFirstInOrdinalOrder()
        => Assert.Equal("Topic", KeySuggestion.Closest("Topix", ["Topir", "Topic"]));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Path", "PATH", 0)]
    [InlineData("MaxAtempts", "MaxAttempts", 1)]
    public void Distance_KnownPairs_Levenshtein(string a, string b, int expected)
    {
        Assert.Equal(expected, KeySuggestion.Distance(a, b));
        Assert.Equal(expected, KeySuggestion.Distance(b, a));
    }
}
