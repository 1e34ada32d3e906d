using Delivery.Core.Options;
using Microsoft.Extensions.Configuration;

namespace Delivery.Core.Tests.Options;

/// <summary>Delivery:Kafka:GroupProtocol and the client keys that depend on it.</summary>
public sealed class KafkaGroupProtocolOptionsTests
{
    private const string Key = "Delivery:Kafka";

    [Fact]
    public void GroupProtocol_Default_Auto()
    {
        Assert.Equal(KafkaGroupProtocol.Auto, new KafkaOptions().GroupProtocol);
        Assert.Empty(DeliveryOptionsValidator.Check(ValidOptions.Create()));
    }

    [Theory]
    [InlineData(KafkaGroupProtocol.Auto)]
    [InlineData(KafkaGroupProtocol.Consumer)]
    public void Check_ClassicOnlyKeysWithoutClassic_OneLineNamingEveryOne(KafkaGroupProtocol protocol)
    {
        var options = ValidOptions.Create();
        options.Kafka.GroupProtocol = protocol;
        options.Kafka.Client["session.timeout.ms"] = "6000";
        options.Kafka.Client["Heartbeat.Interval.Ms"] = "500";
        options.Kafka.Client["group.protocol.type"] = "consumer";
        options.Kafka.Client["fetch.wait.max.ms"] = "50";

        var line = Assert.Single(DeliveryOptionsValidator.Check(options));

        Assert.StartsWith($"{Key}:Client: session.timeout.ms, heartbeat.interval.ms, group.protocol.type must not be set with {Key}:GroupProtocol {protocol}", line, StringComparison.Ordinal);
        Assert.Contains("GroupProtocol to Classic", line, StringComparison.Ordinal);
        Assert.DoesNotContain("6000", line, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch.wait.max.ms", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ClassicOnlyKeysWithClassic_Pass()
    {
        var options = ValidOptions.Create();
        options.Kafka.GroupProtocol = KafkaGroupProtocol.Classic;
        options.Kafka.Client["session.timeout.ms"] = "6000";
        options.Kafka.Client["heartbeat.interval.ms"] = "500";

        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData("partition.assignment.strategy", KafkaGroupProtocol.Classic)]
    [InlineData("partition.assignment.strategy", KafkaGroupProtocol.Consumer)]
    [InlineData("group.protocol", KafkaGroupProtocol.Auto)]
    public void Check_ProtocolKeysInClient_SetInCode(string clientKey, KafkaGroupProtocol protocol)
    {
        var options = ValidOptions.Create();
        options.Kafka.GroupProtocol = protocol;
        options.Kafka.Client[clientKey] = "range";

        var line = Assert.Single(DeliveryOptionsValidator.Check(options));

        Assert.StartsWith($"{Key}:Client:{clientKey}: must not be set: the worker sets {clientKey} in code", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UndefinedGroupProtocol_NamesTheKeyAndTheChoices()
    {
        var options = ValidOptions.Create();
        options.Kafka.GroupProtocol = (KafkaGroupProtocol)7;

        var line = Assert.Single(DeliveryOptionsValidator.Check(options));

        Assert.Equal($"{Key}:GroupProtocol: must be one of Auto, Consumer, Classic (was 7)", line);
    }

    [Theory]
    [InlineData("Consumer", KafkaGroupProtocol.Consumer)]
    [InlineData("classic", KafkaGroupProtocol.Classic)]
    [InlineData("AUTO", KafkaGroupProtocol.Auto)]
    public void Bind_GroupProtocolName_CaseInsensitive(string value, KafkaGroupProtocol expected)
    {
        var failures = new List<string>();

        var options = DeliveryConfiguration.Bind(Configuration(value), failures);

        Assert.Empty(failures);
        Assert.Equal(expected, options.Kafka.GroupProtocol);
    }

    [Fact]
    public void Validate_UnknownGroupProtocolName_OneLineNamingTheKey()
    {
        var line = Assert.Single(DeliveryConfiguration.Validate(Configuration("Eager")));

        Assert.Equal($"{Key}:GroupProtocol: must be one of Auto, Consumer, Classic (was 'Eager')", line);
    }

    private static IConfiguration Configuration(string protocol) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Delivery:Kafka:BootstrapServers"] = "kafka:9092",
        ["Delivery:Kafka:GroupProtocol"] = protocol,
        ["Delivery:Destinations:orders:Type"] = "HttpBatch",
        ["Delivery:Destinations:orders:SourceTopics:0"] = "orders",
    }).Build();
}
