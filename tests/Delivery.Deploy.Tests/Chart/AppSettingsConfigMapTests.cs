using System.Text;
using Delivery.Core.Options;
using Delivery.Deploy.Tests.Helm;
using Microsoft.Extensions.Configuration;

namespace Delivery.Deploy.Tests.Chart;

public sealed class AppSettingsConfigMapTests
{
    /// <summary>The one validation failure the default values are allowed: they configure no destination on purpose.</summary>
    private const string NoDestinationFailure = "Delivery:Destinations: at least one destination is required";

    public static TheoryData<string> VariantsWithDestinations => new() { "two-destinations", "port-9090", "shutdown-120" };

    [Theory]
    [MemberData(nameof(VariantsWithDestinations))]
    public async Task AppSettings_VariantWithDestinations_BindsStrictlyToDeliveryOptionsAndValidates(string variant)
    {
        var chart = await DeploymentTests.RenderVariantAsync(variant);

        var options = BindStrict(chart.AppSettingsJson);
        var result = new DeliveryOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, $"{variant}: {result.FailureMessage}\n{chart.AppSettingsJson}");
        Assert.Equal((int)chart.DeliverySection["Http"]!["Port"]!, options.Http.Port);
        Assert.NotEmpty(options.Destinations);
    }

    [Fact]
    public async Task AppSettings_Defaults_BindStrictlyAndFailOnlyForTheMissingDestination()
    {
        // The chart cannot guess a destination, so its defaults deliberately configure none (NOTES.txt warns, the
        // worker refuses to start naming the key). Everything else in the defaults must be valid.
        var chart = await ChartRenders.DefaultsAsync();

        var options = BindStrict(chart.AppSettingsJson);
        var result = new DeliveryOptionsValidator().Validate(null, options);

        Assert.Empty(options.Destinations);
        Assert.Equal("kafka:9092", options.Kafka.BootstrapServers);
        Assert.Equal(TimeSpan.FromSeconds(25), options.ShutdownTimeout);
        Assert.Equal(8080, options.Http.Port);
        Assert.Equal(KafkaGroupProtocol.Auto, options.Kafka.GroupProtocol);
        Assert.DoesNotContain(options.Kafka.Client.Keys, k => k is "group.instance.id" or "session.timeout.ms" or "heartbeat.interval.ms");
        Assert.DoesNotContain(result.Failures ?? [], f => f != NoDestinationFailure);
    }

    [Fact]
    public async Task AppSettings_TwoDestinations_CarriesEveryConfiguredValue()
    {
        var chart = await ChartRenders.TwoDestinationsAsync();

        var options = BindStrict(chart.AppSettingsJson);
        var raw = Load(chart.AppSettingsJson);

        Assert.Equal("kafka-0.kafka:9093,kafka-1.kafka:9093,kafka-2.kafka:9093", options.Kafka.BootstrapServers);
        Assert.Equal(3, options.Kafka.TopicReplicationFactor);
        Assert.Equal("SASL_SSL", options.Kafka.Client["security.protocol"]);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownTimeout);
        Assert.Equal(["orders-to-nakadi", "orders-to-partner"], options.Destinations.Keys.Order(StringComparer.Ordinal));

        var nakadi = options.Destinations["orders-to-nakadi"];
        Assert.Equal("Nakadi", nakadi.Type);
        Assert.Equal(["orders"], nakadi.SourceTopics);
        Assert.Equal(500, nakadi.Batch.MaxEvents);
        Assert.Equal(TimeSpan.FromMilliseconds(250), nakadi.Batch.MaxWait);
        Assert.Equal(TimeSpan.FromHours(4), nakadi.Retry.MaxAge);
        Assert.Equal(5, nakadi.Retry.EffectiveDelays.Count);
        Assert.Equal([408, 423, 429, 500, 502, 503, 504], nakadi.Retry.RetryableStatusCodes!);
        Assert.Equal("orders-to-nakadi.dlq", nakadi.EffectiveDeadLetterTopic("orders-to-nakadi"));
        Assert.Equal(new Uri("https://nakadi.example.org"), nakadi.Http.BaseAddress);
        Assert.Equal("/var/run/secrets/delivery/orders-to-nakadi/token", nakadi.Http.BearerTokenFile);
        Assert.Equal("order.created", raw["Delivery:Destinations:orders-to-nakadi:Settings:EventType"]);

        var partner = options.Destinations["orders-to-partner"];
        Assert.Equal("Webhook", partner.Type);
        Assert.Equal("delivery.orders-to-partner", partner.EffectiveConsumerGroup("orders-to-partner"));
        Assert.True(partner.Http.GzipRequests);
        Assert.Equal(1024 * 1024, partner.Batch.MaxBytes);
        Assert.Equal(
            "/var/run/secrets/delivery/orders-to-partner/signing-key",
            raw["Delivery:Destinations:orders-to-partner:Settings:SignatureSecretFile"]);
        Assert.Equal("Information", raw["Serilog:MinimumLevel:Default"]);
        Assert.Equal("Warning", raw["Serilog:MinimumLevel:Override:Confluent.Kafka"]);
    }

    [Fact]
    public async Task SaslEnvironment_Example_BindsIntoKafkaClientProperties()
    {
        var chart = await ChartRenders.TwoDestinationsAsync();
        var secretEnv = chart.WorkerContainer["env"]!.AsArray()
            .Where(e => e!["valueFrom"]?["secretKeyRef"] is not null)
            .ToDictionary(e => ((string)e!["name"]!).Replace("__", ":", StringComparison.Ordinal), e => (string?)"resolved-at-runtime");

        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(chart.AppSettingsJson)))
            .AddInMemoryCollection(secretEnv)
            .Build();
        var options = configuration.GetSection(DeliveryOptions.SectionName).Get<DeliveryOptions>()!;

        Assert.Equal("resolved-at-runtime", options.Kafka.Client["sasl.username"]);
        Assert.Equal("resolved-at-runtime", options.Kafka.Client["sasl.password"]);
        Assert.Equal("SCRAM-SHA-512", options.Kafka.Client["sasl.mechanism"]);
    }

    [Fact]
    public async Task FileReferences_Example_PointIntoMountedSecretKeys()
    {
        var chart = await ChartRenders.TwoDestinationsAsync();
        var raw = Load(chart.AppSettingsJson);
        var mounts = chart.WorkerContainer["volumeMounts"]!.AsArray();
        var volumes = chart.PodSpec["volumes"]!.AsArray();

        var references = raw.AsEnumerable()
            .Where(kv => kv.Key.EndsWith("File", StringComparison.Ordinal) && kv.Value is not null)
            .Select(kv => kv.Value!)
            .ToList();

        Assert.Equal(2, references.Count);
        foreach (var file in references)
        {
            var directory = Path.GetDirectoryName(file)!;
            var mount = Assert.Single(mounts, m => (string?)m!["mountPath"] == directory)!;
            Assert.True((bool)mount["readOnly"]!);
            var volume = Assert.Single(volumes, v => (string?)v!["name"] == (string?)mount["name"])!;
            var items = volume["secret"]!["items"]!.AsArray().Select(i => (string?)i!["path"]);
            Assert.Contains(Path.GetFileName(file), items);
        }
    }

    /// <summary>
    /// Binds the Delivery section with unknown keys as errors. Type-specific <c>Settings</c> sections are left out:
    /// DestinationOptions does not model them (each destination type binds its own).
    /// </summary>
    internal static DeliveryOptions BindStrict(string appSettingsJson)
    {
        var known = Load(appSettingsJson).AsEnumerable().Where(kv => !IsSettingsKey(kv.Key));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(known).Build();
        var options = configuration.GetSection(DeliveryOptions.SectionName)
            .Get<DeliveryOptions>(binder => binder.ErrorOnUnknownConfiguration = true);
        Assert.NotNull(options);
        return options;
    }

    private static IConfigurationRoot Load(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static bool IsSettingsKey(string key)
    {
        var parts = key.Split(':');
        return parts.Length >= 4 && parts[0] == "Delivery" && parts[1] == "Destinations" && parts[3] == "Settings";
    }
}
