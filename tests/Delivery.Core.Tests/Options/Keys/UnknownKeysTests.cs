using Delivery.Core.Options;
using Delivery.Core.Options.Keys;
using Microsoft.Extensions.Configuration;

namespace Delivery.Core.Tests.Options.Keys;

public sealed class UnknownKeysTests
{
    private static readonly Dictionary<string, Type> NoExtraSections = [];

    [Fact]
    public void Find_EveryKnownKey_Empty()
    {
        var config = Config(
            ("Delivery:Kafka:BootstrapServers", "kafka:9092"),
            ("Delivery:Kafka:Client:sasl.mechanism", "PLAIN"),
            ("Delivery:Http:Port", "8080"),
            ("Delivery:ShutdownTimeout", "00:00:20"),
            ("Delivery:Destinations:orders:Type", "Test"),
            ("Delivery:Destinations:orders:SourceTopics:0", "orders"),
            ("Delivery:Destinations:orders:Batch:MaxEvents", "10"),
            ("Delivery:Destinations:orders:Retry:Delays:0", "00:00:05"),
            ("Delivery:Destinations:orders:DeadLetter:Topic", "orders.dlq"),
            ("Delivery:Destinations:orders:Http:BaseAddress", "http://x"),
            ("Delivery:Destinations:orders:Settings:Path", "/events"),
            ("Delivery:Destinations:orders:Settings:Tags:0", "a"));

        Assert.Empty(UnknownKeys.Find(config, NoExtraSections, SettingsOf));
    }

    [Theory]
    [InlineData("Delivery:Destinations:orders:Batch:MaxEvent", "did you mean MaxEvents?")]
    [InlineData("Delivery:Destinations:orders:Retry:MaxAtempts", "did you mean MaxAttempts?")]
    [InlineData("Delivery:Destinations:orders:Settings:Pth", "did you mean Path?")]
    [InlineData("Delivery:Kafka:BootstrapServer", "did you mean BootstrapServers?")]
    [InlineData("Delivery:ShutdownTimout", "did you mean ShutdownTimeout?")]
    public void Find_MisspeltKey_OneLineWithTheFullKeyAndTheSuggestion(string key, string suggestion)
    {
        var problems = UnknownKeys.Find(Config((key, "3"), ("Delivery:Destinations:orders:Type", "Test")), NoExtraSections, SettingsOf);

        var line = Assert.Single(problems);
        Assert.Equal($"{key}: unknown key ({suggestion})", line);
    }

    [Fact]
    public void Find_NothingClose_ListsTheKnownKeys()
    {
        var line = Assert.Single(UnknownKeys.Find(Config(("Delivery:Destinations:orders:Batch:Colour", "red")), NoExtraSections, SettingsOf));

        Assert.Equal("Delivery:Destinations:orders:Batch:Colour: unknown key (known here: MaxBytes, MaxConcurrent, MaxEvents, MaxInFlightEvents, MaxWait, RetryShare)", line);
    }

    [Fact]
    public void Find_OtherSections_LeftAlone()
    {
        var config = Config(
            ("Logging:LogLevel:Default", "Debug"),
            ("Serilog:MinimumLevel:Overide", "x"),
            ("OpenTelemetry:Whatever", "1"),
            ("Kestrel:Endpoints:Http:Url", "http://*:1"));

        Assert.Empty(UnknownKeys.Find(config, NoExtraSections, SettingsOf));
    }

    [Fact]
    public void Find_ExtraSection_KnownFromItsType()
    {
        var extra = new Dictionary<string, Type> { ["Pipeline"] = typeof(ExtraOptions) };

        Assert.Empty(UnknownKeys.Find(Config(("Delivery:Pipeline:Interval", "00:00:01")), extra, SettingsOf));
        Assert.Equal(["Delivery:Pipeline:Intervall: unknown key (did you mean Interval?)"], UnknownKeys.Find(Config(("Delivery:Pipeline:Intervall", "1")), extra, SettingsOf));
        Assert.Equal(["Delivery:Pipelin: unknown key (did you mean Pipeline?)"], UnknownKeys.Find(Config(("Delivery:Pipelin:Interval", "1")), extra, SettingsOf));
    }

    [Fact]
    public void Find_UnknownKeyBelowTheMisspeltOne_ReportedOnceAtTheTop()
    {
        var config = Config(("Delivery:Destinations:orders:Rety:MaxAttempts", "3"), ("Delivery:Destinations:orders:Rety:Jitter", "0.1"));

        Assert.Equal(["Delivery:Destinations:orders:Rety: unknown key (did you mean Retry?)"], UnknownKeys.Find(config, NoExtraSections, SettingsOf));
    }

    [Fact]
    public void Find_SettingsOfATypeWithoutASettingsClass_NotChecked()
    {
        var config = Config(("Delivery:Destinations:orders:Type", "Unknown"), ("Delivery:Destinations:orders:Settings:Anything", "1"));

        Assert.Empty(UnknownKeys.Find(config, NoExtraSections, SettingsOf));
    }

    [Fact]
    public void Find_SettingsOfEachDestination_CheckedAgainstItsOwnType()
    {
        var config = Config(
            ("Delivery:Destinations:a:Type", "Test"),
            ("Delivery:Destinations:a:Settings:Path", "/a"),
            ("Delivery:Destinations:b:Type", "Other"),
            ("Delivery:Destinations:b:Settings:Path", "/b"));

        Assert.Equal(["Delivery:Destinations:b:Settings:Path: unknown key (known here: Index)"], UnknownKeys.Find(config, NoExtraSections, SettingsOf));
    }

    [Fact]
    public void Find_KeyBelowASingleValue_Unknown()
    {
        var config = Config(("Delivery:Destinations:orders:Batch:MaxEvents:Value", "3"));

        var line = Assert.Single(UnknownKeys.Find(config, NoExtraSections, SettingsOf));
        Assert.StartsWith("Delivery:Destinations:orders:Batch:MaxEvents:Value: unknown key", line, StringComparison.Ordinal);
    }

    [Fact]
    public void KnownKeys_ComputedReadOnlyProperties_NotKeys()
    {
        var keys = UnknownKeys.KnownKeys(typeof(RetryOptions));

        Assert.DoesNotContain(nameof(RetryOptions.EffectiveDelays), keys.Keys);
        Assert.Contains(nameof(RetryOptions.MaxAttempts), keys.Keys);
    }

    [Fact]
    public void KnownKeys_ConfigurationKeyName_UsedInsteadOfThePropertyName()
    {
        var keys = UnknownKeys.KnownKeys(typeof(RenamedOptions));

        Assert.Equal(["max-events"], keys.Keys);
    }

    private static Type? SettingsOf(string type) => type switch
    {
        "Test" => typeof(TestSettings),
        "Other" => typeof(OtherSettings),
        _ => null,
    };

    private static IConfiguration Config(params (string Key, string? Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private sealed class TestSettings
    {
        public string Path { get; set; } = string.Empty;

        public IList<string> Tags { get; set; } = [];

        public bool IsRoot => Path == "/";
    }

    private sealed class OtherSettings
    {
        public string Index { get; set; } = string.Empty;
    }

    private sealed class ExtraOptions
    {
        public TimeSpan Interval { get; set; }
    }

    private sealed class RenamedOptions
    {
        [ConfigurationKeyName("max-events")]
        public int MaxEvents { get; set; }
    }
}
