using Delivery.Destinations.Tests.Testing;

namespace Delivery.Destinations.Tests.Elasticsearch;

public sealed class ElasticsearchBulkSettingsTests
{
    private const string Key = "Delivery:Destinations:es:Settings";

    private static IReadOnlyList<string> Validate(string? index)
    {
        var values = new Dictionary<string, string?> { ["Delivery:Destinations:es:Http:BaseAddress"] = "http://127.0.0.1:9/" };
        if (index is not null)
        {
            values[$"{Key}:Index"] = index;
        }

        using var host = new DestinationHost(values);
        return host.Validate("ElasticsearchBulk", "es");
    }

    [Fact]
    public void Validate_NoIndex_Required() => Assert.Equal([$"{Key}:Index: is required"], Validate(null));

    [Theory]
    [InlineData("-orders")]
    [InlineData("_orders")]
    [InlineData("+orders")]
    [InlineData("/orders")]
    [InlineData("or*ders")]
    [InlineData("orders:1")]
    [InlineData("Orders")]
    public void Validate_IllegalIndexName_NamesIndex(string index)
        => Assert.Single(Validate(index), l => l.StartsWith($"{Key}:Index: must be lowercase", StringComparison.Ordinal));

    [Theory]
    [InlineData("orders")]
    [InlineData("orders-v1.2026")]
    public void Validate_LegalIndexName_NoProblem(string index) => Assert.Empty(Validate(index));
}
