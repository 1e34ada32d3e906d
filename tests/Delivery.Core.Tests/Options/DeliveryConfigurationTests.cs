using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;

namespace Delivery.Core.Tests.Options;

public sealed class DeliveryConfigurationTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Delivery:Kafka:BootstrapServers"] = "kafka:9092",
            ["Delivery:Destinations:orders:Type"] = "HttpBatch",
            ["Delivery:Destinations:orders:SourceTopics:0"] = "orders",
        };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(all).Build();
    }

    [Fact]
    public void Validate_ValidConfiguration_Empty()
        => Assert.Empty(DeliveryConfiguration.Validate(Config()));

    [Fact]
    public void Validate_EmptyConfiguration_ReportsMissingKafkaAndDestinations()
    {
        var failures = DeliveryConfiguration.Validate(new ConfigurationBuilder().Build());

        Assert.Equal(2, failures.Count);
        Assert.StartsWith("Delivery:Kafka:BootstrapServers: ", failures[0], StringComparison.Ordinal);
        Assert.StartsWith("Delivery:Destinations: ", failures[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotANumber_OneLineNamingKeyAndValue()
    {
        var failures = DeliveryConfiguration.Validate(Config(("Delivery:Destinations:orders:Batch:MaxEvents", "abc")));

        var line = Assert.Single(failures);
        Assert.Equal("Delivery:Destinations:orders:Batch:MaxEvents: must be a whole number (was 'abc')", line);
    }

    [Fact]
    public void Validate_SeveralBadValues_AllReportedThenRulesRun()
    {
        var failures = DeliveryConfiguration.Validate(Config(
            ("Delivery:Http:Port", "eighty"),
            ("Delivery:ShutdownTimeout", "25s"),
            ("Delivery:Kafka:Embedded", "yes"),
            ("Delivery:Destinations:orders:Retry:Jitter", "x"),
            ("Delivery:Destinations:orders:Retry:Delays:0", "5 seconds"),
            ("Delivery:Destinations:orders:Batch:MaxConcurrent", "0")));

        Assert.Contains(failures, f => f.StartsWith("Delivery:Http:Port: must be a whole number (was 'eighty')", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Delivery:ShutdownTimeout: must be a duration", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Delivery:Kafka:Embedded: must be true or false", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Delivery:Destinations:orders:Retry:Jitter: must be a number", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Delivery:Destinations:orders:Retry:Delays:0: must be a duration", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Delivery:Destinations:orders:Batch:MaxConcurrent: must be between 1 and 256 (was 0)", StringComparison.Ordinal));
        Assert.Equal(6, failures.Count);
    }

    [Fact]
    public void Validate_BadValueUnderSecretLookingKey_ValueHidden()
    {
        var failures = DeliveryConfiguration.Validate(Config(("Delivery:Destinations:orders:Http:BearerTokenFile", "/x"), ("Delivery:Destinations:orders:Http:MaxResponseBytes", "hunter2")));

        Assert.Contains(failures, f => f.StartsWith("Delivery:Destinations:orders:Http:MaxResponseBytes: must be a whole number (was 'hunter2')", StringComparison.Ordinal));

        var secret = DeliveryConfiguration.Validate(Config(("Delivery:Destinations:tokens:Type", "HttpBatch"), ("Delivery:Destinations:tokens:SourceTopics:0", "t"), ("Delivery:Destinations:tokens:Batch:MaxEvents", "hunter2")));
        var line = Assert.Single(secret);
        Assert.Equal("Delivery:Destinations:tokens:Batch:MaxEvents: must be a whole number (value hidden)", line);
    }

    [Fact]
    public void Validate_BindsListsAndDictionaries_AppliesRules()
    {
        var failures = DeliveryConfiguration.Validate(Config(
            ("Delivery:Kafka:Client:acks", "1"),
            ("Delivery:Destinations:orders:Retry:Delays:0", "00:00:05"),
            ("Delivery:Destinations:orders:Retry:Delays:1", "-00:00:01"),
            ("Delivery:Destinations:orders:Retry:RetryableStatusCodes:0", "700")));

        Assert.Equal(
        [
            "Delivery:Kafka:Client:acks",
            "Delivery:Destinations:orders:Retry:Delays:1",
            "Delivery:Destinations:orders:Retry:RetryableStatusCodes:0",
        ],
            failures.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Validate_ShortNotANumber_WholeNumber()
    {
        var failures = DeliveryConfiguration.Validate(Config(("Delivery:Kafka:TopicReplicationFactor", "three")));

        Assert.Equal("Delivery:Kafka:TopicReplicationFactor: must be a whole number (was 'three')", Assert.Single(failures));
    }

    [Fact]
    public void Validate_BadKafkaClientKeyValue_NeverAConversionProblem()
    {
        var failures = DeliveryConfiguration.Validate(Config(("Delivery:Kafka:Client:sasl.password", "x y z")));

        Assert.Empty(failures);
    }

    [Fact]
    public void Validate_BadValueInSecondDestination_ThatDestinationKept()
    {
        var failures = DeliveryConfiguration.Validate(Config(
            ("Delivery:Destinations:billing:Type", "Webhook"),
            ("Delivery:Destinations:billing:SourceTopics:0", "invoices"),
            ("Delivery:Destinations:billing:Enabled", "maybe")));

        Assert.Equal("Delivery:Destinations:billing:Enabled: must be true or false (was 'maybe')", Assert.Single(failures));
    }

    [Fact]
    public void Validate_DestinationGivenAsValue_ReportedNotDropped()
    {
        var failures = DeliveryConfiguration.Validate(Config(("Delivery:Destinations:billing", "Webhook")));

        Assert.Equal("Delivery:Destinations:billing: must be a section with keys below it, not a single value", Assert.Single(failures));
    }

    [Fact]
    public void Validate_ListGivenAsValue_SaysList()
    {
        var failures = DeliveryConfiguration.Validate(Config(
            ("Delivery:Destinations:orders:SourceTopics:0", null),
            ("Delivery:Destinations:orders:SourceTopics", "orders")));

        Assert.Equal(
            [
                "Delivery:Destinations:orders:SourceTopics: must be a list (SourceTopics:0, SourceTopics:1, …), not a single value",
                "Delivery:Destinations:orders:SourceTopics: at least one source topic is required for an enabled destination",
            ],
            failures);
    }

    [Fact]
    public void Validate_EmptyValueForSection_Ignored()
    {
        Assert.Empty(DeliveryConfiguration.Validate(Config(("Delivery:Http", ""))));
    }

    [Fact]
    public void ValidateAndBind_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => DeliveryConfiguration.Validate(null!));
        Assert.Throws<ArgumentNullException>(() => DeliveryConfiguration.Bind(null!, []));
        Assert.Throws<ArgumentNullException>(() => DeliveryConfiguration.Bind(Config(), null!));
    }

    [Fact]
    public void Validate_BadListElement_ReportedNotSilentlyDropped()
    {
        var failures = DeliveryConfiguration.Validate(Config(
            ("Delivery:Destinations:orders:Retry:RetryableStatusCodes:0", "429"),
            ("Delivery:Destinations:orders:Retry:RetryableStatusCodes:1", "abc")));

        Assert.Equal("Delivery:Destinations:orders:Retry:RetryableStatusCodes:1: must be a whole number (was 'abc')", Assert.Single(failures));
    }

    [Fact]
    public void Bind_BadListElement_OtherElementsKept()
    {
        var failures = new List<string>();
        var options = DeliveryConfiguration.Bind(Config(
            ("Delivery:Destinations:orders:Retry:Delays:0", "00:00:05"),
            ("Delivery:Destinations:orders:Retry:Delays:1", "zz"),
            ("Delivery:Destinations:orders:Retry:Delays:2", "00:01:00")), failures);

        Assert.Single(failures);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)], options.Destinations["orders"].Retry.Delays);
    }

    [Fact]
    public void Bind_UnknownKeysAndSettings_Ignored()
    {
        var failures = new List<string>();
        var options = DeliveryConfiguration.Bind(Config(
            ("Delivery:Destinations:orders:Settings:EventType", "order.created"),
            ("Delivery:Destinations:orders:Settings:Timeout", "not-a-timespan")), failures);

        Assert.Empty(failures);
        Assert.Equal("HttpBatch", options.Destinations["orders"].Type);
    }

    [Fact]
    public void Bind_ValidConfiguration_BindsValues()
    {
        var failures = new List<string>();
        var options = DeliveryConfiguration.Bind(Config(("Delivery:Destinations:orders:Batch:MaxEvents", "200"), ("Delivery:Kafka:Client:security.protocol", "SSL")), failures);

        Assert.Empty(failures);
        Assert.Equal(200, options.Destinations["orders"].Batch.MaxEvents);
        Assert.Equal("SSL", options.Kafka.Client["security.protocol"]);
        Assert.Equal(["orders"], options.Destinations["orders"].SourceTopics);
    }

    [Fact]
    public void Bind_BadValue_DefaultKeptForThatKey()
    {
        var failures = new List<string>();
        var options = DeliveryConfiguration.Bind(Config(("Delivery:Destinations:orders:Batch:MaxEvents", "many"), ("Delivery:Destinations:orders:Batch:MaxBytes", "2048")), failures);

        Assert.Single(failures);
        Assert.Equal(500, options.Destinations["orders"].Batch.MaxEvents);
        Assert.Equal(2048, options.Destinations["orders"].Batch.MaxBytes);
    }
}
