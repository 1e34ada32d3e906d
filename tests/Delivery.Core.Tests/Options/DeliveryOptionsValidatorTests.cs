using Delivery.Core.Options;

namespace Delivery.Core.Tests.Options;

public sealed class DeliveryOptionsValidatorTests
{
    private const string D = "Delivery:Destinations:orders";

    private static string SingleFailure(DeliveryOptions options, string key)
    {
        var failures = DeliveryOptionsValidator.Check(options);
        var line = Assert.Single(failures);
        Assert.StartsWith(key + ": ", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        return line;
    }

    [Fact]
    public void Check_ValidOptions_NoFailures()
    {
        Assert.Empty(DeliveryOptionsValidator.Check(ValidOptions.Create()));
        Assert.True(new DeliveryOptionsValidator().Validate(null, ValidOptions.Create()).Succeeded);
    }

    [Fact]
    public void Check_FullyConfiguredExampleOfDesign_NoFailures()
    {
        var options = ValidOptions.Create();
        options.Kafka.Client["security.protocol"] = "SASL_SSL";
        options.Kafka.Client["sasl.mechanism"] = "SCRAM-SHA-512";
        var d = options.Orders();
        d.ConsumerGroup = "delivery.orders-to-nakadi";
        d.EventIdHeader = "event-id";
        d.Retry.Delays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];
        d.Retry.RetryableStatusCodes = [408, 429, 500];
        d.Retry.RetryableErrorTypes = ["RETRYABLE_ERROR"];
        d.Retry.TopicPrefix = "orders-to-nakadi.retry";
        d.DeadLetter.Topic = "orders-to-nakadi.dlq";
        d.Http.BaseAddress = new Uri("https://nakadi.example.org");
        d.Http.BearerTokenFile = "/var/run/secrets/nakadi/token";

        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Validate_Failures_ResultFailsWithOneEntryPerProblem()
    {
        var options = ValidOptions.Create();
        options.Orders().Batch.MaxEvents = 0;
        options.Http.Port = -1;

        var result = new DeliveryOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
    }

    [Fact]
    public void Check_MaxEventsZero_NamesKeyRangeAndValue()
    {
        var options = ValidOptions.Create();
        options.Orders().Batch.MaxEvents = 0;
        var line = SingleFailure(options, $"{D}:Batch:MaxEvents");
        Assert.Equal($"{D}:Batch:MaxEvents: must be between 1 and 100000 (was 0)", line);
    }

    [Fact]
    public void Check_BootstrapServersMissing_Fails()
    {
        var options = ValidOptions.Create();
        options.Kafka.BootstrapServers = null;
        var line = SingleFailure(options, "Delivery:Kafka:BootstrapServers");
        Assert.Contains("Embedded", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BootstrapServersMissingButEmbedded_Passes()
    {
        var options = ValidOptions.Create();
        options.Kafka.BootstrapServers = " ";
        options.Kafka.Embedded = true;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_BootstrapServersWithEmptyEntry_Fails()
    {
        var options = ValidOptions.Create();
        options.Kafka.BootstrapServers = "a:9092,,b:9092";
        SingleFailure(options, "Delivery:Kafka:BootstrapServers");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void Check_EmbeddedBrokersOutOfRange_Fails(int brokers)
    {
        var options = ValidOptions.Create();
        options.Kafka.EmbeddedBrokers = brokers;
        var line = SingleFailure(options, "Delivery:Kafka:EmbeddedBrokers");
        Assert.EndsWith($"must be between 1 and 16 (was {brokers})", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TopicPartitionsZero_Fails()
    {
        var options = ValidOptions.Create();
        options.Kafka.TopicPartitions = 0;
        SingleFailure(options, "Delivery:Kafka:TopicPartitions");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Check_TopicReplicationFactorInvalid_Fails(short factor)
    {
        var options = ValidOptions.Create();
        options.Kafka.TopicReplicationFactor = factor;
        SingleFailure(options, "Delivery:Kafka:TopicReplicationFactor");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(3)]
    public void Check_TopicReplicationFactorValid_Passes(short factor)
    {
        var options = ValidOptions.Create();
        options.Kafka.TopicReplicationFactor = factor;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData("enable.auto.commit")]
    [InlineData("enable.auto.offset.store")]
    [InlineData("isolation.level")]
    [InlineData("enable.idempotence")]
    [InlineData("acks")]
    [InlineData("group.id")]
    [InlineData("bootstrap.servers")]
    [InlineData("enable.partition.eof")]
    [InlineData("max.in.flight.requests.per.connection")]
    [InlineData("metadata.broker.list")]
    [InlineData("request.required.acks")]
    [InlineData("max.in.flight")]
    [InlineData("transactional.id")]
    [InlineData("Enable.Auto.Commit")]
    public void Check_ReservedClientKey_NamesKeyAndSaysSetInCode(string clientKey)
    {
        var options = ValidOptions.Create();
        options.Kafka.Client[clientKey] = "secret-looking-value";
        var line = SingleFailure(options, $"Delivery:Kafka:Client:{clientKey}");
        Assert.Contains("in code", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking-value", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sasl.password")]
    [InlineData("ssl.key.password")]
    [InlineData("sasl.oauthbearer.client.secret")]
    [InlineData("sasl.username")]
    public void Check_EmptyClientValue_FailsWithoutEchoingAnyValue(string clientKey)
    {
        var options = ValidOptions.Create();
        options.Kafka.Client[clientKey] = "  ";
        options.Kafka.Client["sasl.jaas.token"] = "hunter2";
        var line = SingleFailure(options, $"Delivery:Kafka:Client:{clientKey}");
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ClientNull_Passes()
    {
        var options = ValidOptions.Create();
        options.Kafka.Client = null!;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_AllowedClientKeys_Pass()
    {
        var options = ValidOptions.Create();
        options.Kafka.Client["security.protocol"] = "SASL_SSL";
        options.Kafka.Client["sasl.password"] = "hunter2";
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData("sasl.password", true)]
    [InlineData("ssl.key.location", true)]
    [InlineData("client.secret", true)]
    [InlineData("sasl.oauthbearer.token.endpoint.url", true)]
    [InlineData("Delivery:Destinations:x:Settings:ApiKey", true)]
    [InlineData("security.protocol", false)]
    [InlineData("Delivery:Http:Port", false)]
    public void IsSecretKey_Markers_Detected(string key, bool secret) => Assert.Equal(secret, DeliveryOptionsValidator.IsSecretKey(key));

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Check_HttpPortOutOfRange_Fails(int port)
    {
        var options = ValidOptions.Create();
        options.Http.Port = port;
        var line = SingleFailure(options, "Delivery:Http:Port");
        Assert.EndsWith($"must be between 0 and 65535 (was {port})", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65535)]
    public void Check_HttpPortBounds_Pass(int port)
    {
        var options = ValidOptions.Create();
        options.Http.Port = port;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData("00:00:00.999")]
    [InlineData("00:10:00.001")]
    [InlineData("-00:00:05")]
    public void Check_ShutdownTimeoutOutOfRange_Fails(string value)
    {
        var options = ValidOptions.Create();
        options.ShutdownTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var line = SingleFailure(options, "Delivery:ShutdownTimeout");
        Assert.Contains("between 00:00:01 and 00:10:00", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("00:10:00")]
    public void Check_ShutdownTimeoutBounds_Pass(string value)
    {
        var options = ValidOptions.Create();
        options.ShutdownTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_NoDestinations_Fails()
    {
        var options = ValidOptions.Create();
        options.Destinations.Clear();
        SingleFailure(options, "Delivery:Destinations");
    }

    [Theory]
    [InlineData("orders/eu")]
    [InlineData("orders eu")]
    [InlineData("ordérs")]
    public void Check_DestinationNameInvalid_Fails(string name)
    {
        var options = ValidOptions.Create();
        options.Destinations.Clear();
        options.Destinations[name] = new DestinationOptions
        {
            Type = "HttpBatch",
            SourceTopics = ["orders"],
            ConsumerGroup = "g",
            Retry = { TopicPrefix = "orders-retry" },
            DeadLetter = { Topic = "orders-dlq" },
        };
        SingleFailure(options, $"Delivery:Destinations:{name}");
    }

    [Fact]
    public void Check_DestinationSectionNull_Fails()
    {
        var options = ValidOptions.Create();
        options.Destinations["broken"] = null!;
        SingleFailure(options, "Delivery:Destinations:broken");
    }

    [Fact]
    public void Check_EnabledWithoutType_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Type = " ";
        SingleFailure(options, $"{D}:Type");
    }

    [Fact]
    public void Check_EnabledWithoutSourceTopics_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().SourceTopics = [];
        SingleFailure(options, $"{D}:SourceTopics");
    }

    [Fact]
    public void Check_DisabledWithoutTypeAndTopics_Passes()
    {
        var options = ValidOptions.Create();
        options.Destinations["later"] = new DestinationOptions { Enabled = false };
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData("orders events")]
    [InlineData("orders/eu")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public void Check_SourceTopicInvalid_NamesIndex(string topic)
    {
        var options = ValidOptions.Create();
        options.Orders().SourceTopics = ["orders", topic];
        SingleFailure(options, $"{D}:SourceTopics:1");
    }

    [Fact]
    public void Check_SourceTopicTooLong_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().SourceTopics = [new string('a', 250)];
        var line = SingleFailure(options, $"{D}:SourceTopics:0");
        Assert.Contains("249", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SourceTopicOfMaxLength_Passes()
    {
        var options = ValidOptions.Create();
        options.Orders().SourceTopics = [new string('a', 249)];
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_SourceTopicListedTwice_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().SourceTopics = ["orders", "orders"];
        SingleFailure(options, $"{D}:SourceTopics:1");
    }

    [Fact]
    public void Check_RetryTopicEqualsSourceTopic_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.Delays = [TimeSpan.FromSeconds(5)];
        options.Orders().SourceTopics = ["orders", "orders.retry.1"];
        var line = SingleFailure(options, $"{D}:Retry:TopicPrefix");
        Assert.Contains("orders.retry.1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DeadLetterTopicEqualsAnotherDestinationsSourceTopic_Fails()
    {
        var options = ValidOptions.Create();
        options.Destinations["audit"] = new DestinationOptions { Type = "Webhook", SourceTopics = ["orders.dlq"] };
        var line = SingleFailure(options, $"{D}:DeadLetter:Topic");
        Assert.Contains("audit", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DeadLetterTopicCollidesWithOtherDestination_Fails()
    {
        var options = ValidOptions.Create();
        options.Destinations["shipping"] = new DestinationOptions { Type = "Webhook", SourceTopics = ["invoices"], DeadLetter = { Topic = "orders.dlq" } };
        var line = SingleFailure(options, "Delivery:Destinations:shipping:DeadLetter:Topic");
        Assert.Contains($"{D}:DeadLetter:Topic", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RetryTopicsCollideWithOtherDestination_Fails()
    {
        var options = ValidOptions.Create();
        options.Destinations["shipping"] = new DestinationOptions { Type = "Webhook", SourceTopics = ["invoices"], Retry = { TopicPrefix = "orders.retry" } };
        var failures = DeliveryOptionsValidator.Check(options);
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.StartsWith("Delivery:Destinations:shipping:Retry:TopicPrefix: ", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_RetryTopicCollidesWithOwnDeadLetterTopic_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().DeadLetter.Topic = "orders.retry.2";
        SingleFailure(options, $"{D}:DeadLetter:Topic");
    }

    [Fact]
    public void Check_DisabledDestinationTopics_NotCheckedForCollisions()
    {
        var options = ValidOptions.Create();
        options.Destinations["old"] = new DestinationOptions { Enabled = false, DeadLetter = { Topic = "orders.dlq" }, SourceTopics = ["orders.retry.1"] };
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_RetryTopicPrefixInvalid_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.TopicPrefix = "orders retry";
        SingleFailure(options, $"{D}:Retry:TopicPrefix");
    }

    [Fact]
    public void Check_DerivedRetryTopicTooLong_SaysDerived()
    {
        var options = ValidOptions.Create();
        var name = new string('o', 245);
        options.Destinations[name] = new DestinationOptions { Type = "Webhook", SourceTopics = ["x"], DeadLetter = { Topic = "x.dlq" } };
        var line = SingleFailure(options, $"Delivery:Destinations:{name}:Retry:TopicPrefix");
        Assert.Contains("derived from the destination name", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DeadLetterTopicInvalid_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().DeadLetter.Topic = "orders:dlq";
        var line = SingleFailure(options, $"{D}:DeadLetter:Topic");
        Assert.Equal($"{D}:DeadLetter:Topic: dead-letter topic 'orders:dlq' may contain only ASCII letters, digits, '.', '_' and '-'", line);
    }

    [Fact]
    public void Check_SharedConsumerGroup_Fails()
    {
        var options = ValidOptions.Create();
        options.Destinations["shipping"] = new DestinationOptions { Type = "Webhook", SourceTopics = ["invoices"], ConsumerGroup = "delivery.orders" };
        SingleFailure(options, "Delivery:Destinations:shipping:ConsumerGroup");
    }

    [Fact]
    public void Check_BlankConsumerGroup_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().ConsumerGroup = "   ";
        SingleFailure(options, $"{D}:ConsumerGroup");
    }

    [Fact]
    public void Check_EventIdHeaderReserved_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().EventIdHeader = "Delivery-Event-Id";
        SingleFailure(options, $"{D}:EventIdHeader");
    }

    [Fact]
    public void Check_EventIdHeaderBlank_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().EventIdHeader = " ";
        SingleFailure(options, $"{D}:EventIdHeader");
    }

    [Theory]
    [InlineData("MaxEvents", 100_001)]
    [InlineData("MaxBytes", 0)]
    [InlineData("MaxConcurrent", 0)]
    [InlineData("MaxConcurrent", 257)]
    [InlineData("MaxInFlightEvents", 10_000_001)]
    [InlineData("MaxInFlightEvents", -1)]
    public void Check_BatchIntOutOfRange_NamesKey(string member, int value)
    {
        var options = ValidOptions.Create();
        var batch = options.Orders().Batch;
        typeof(BatchOptions).GetProperty(member)!.SetValue(batch, value);
        if (member == "MaxEvents")
        {
            batch.MaxInFlightEvents = 1_000_000;
        }

        var line = SingleFailure(options, $"{D}:Batch:{member}");
        Assert.EndsWith($"(was {value})", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BatchMaxWaitTooLong_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Batch.MaxWait = TimeSpan.FromMinutes(2);
        var line = SingleFailure(options, $"{D}:Batch:MaxWait");
        Assert.Equal($"{D}:Batch:MaxWait: must be between 00:00:00 and 00:01:00 (was 00:02:00)", line);
    }

    [Fact]
    public void Check_MaxInFlightBelowMaxEvents_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Batch.MaxEvents = 1000;
        options.Orders().Batch.MaxInFlightEvents = 999;
        var line = SingleFailure(options, $"{D}:Batch:MaxInFlightEvents");
        Assert.Contains("MaxEvents (1000)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MaxInFlightZeroWithLargeBatches_PassesAndIsDerived()
    {
        // 0 is the automatic window, whatever MaxEvents is; the window in force is 4 × MaxConcurrent × MaxEvents.
        var options = ValidOptions.Create();
        var batch = options.Orders().Batch;
        batch.MaxEvents = 100_000;
        batch.MaxConcurrent = 256;
        batch.MaxInFlightEvents = 0;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
        Assert.Equal(10_000_000, batch.EffectiveMaxInFlightEvents);
        batch.MaxEvents = 500;
        batch.MaxConcurrent = 3;
        Assert.Equal(6_000, batch.EffectiveMaxInFlightEvents);
        batch.MaxInFlightEvents = 700;
        Assert.Equal(700, batch.EffectiveMaxInFlightEvents);
    }

    [Fact]
    public void Check_MaxInFlightEqualsMaxEvents_Passes()
    {
        var options = ValidOptions.Create();
        options.Orders().Batch.MaxEvents = 1000;
        options.Orders().Batch.MaxInFlightEvents = 1000;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Check_MaxAttemptsOutOfRange_Fails(int attempts)
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.MaxAttempts = attempts;
        SingleFailure(options, $"{D}:Retry:MaxAttempts");
    }

    [Theory]
    [InlineData("00:00:00.5")]
    [InlineData("31.00:00:00")]
    public void Check_MaxAgeOutOfRange_Fails(string value)
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.MaxAge = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        SingleFailure(options, $"{D}:Retry:MaxAge");
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.999")]
    [InlineData("-00:00:01")]
    [InlineData("30.00:00:00.001")]
    public void Check_MaxRetryAfterOutOfRange_Fails(string value)
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.MaxRetryAfter = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var failure = SingleFailure(options, $"{D}:Retry:MaxRetryAfter");
        Assert.Contains("must be between 00:00:01 and 30.00:00:00", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("30.00:00:00")]
    public void Check_MaxRetryAfterAtBounds_Valid(string value)
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.MaxRetryAfter = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Check_JitterOutOfRange_Fails(double jitter)
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.Jitter = jitter;
        SingleFailure(options, $"{D}:Retry:Jitter");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Check_DelayNotPositive_NamesIndex(int seconds)
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.Delays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(seconds)];
        var line = SingleFailure(options, $"{D}:Retry:Delays:1");
        Assert.Contains("positive", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DelayTooLong_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.Delays = [TimeSpan.FromDays(31)];
        SingleFailure(options, $"{D}:Retry:Delays:0");
    }

    [Fact]
    public void Check_TooManyTiers_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.Delays = [.. Enumerable.Range(1, DeliveryOptionsValidator.MaxRetryTiers + 1).Select(i => TimeSpan.FromSeconds(i))];
        SingleFailure(options, $"{D}:Retry:Delays");
    }

    [Fact]
    public void Check_MaxTiersWithDuplicates_Passes()
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.Delays = [.. Enumerable.Range(1, DeliveryOptionsValidator.MaxRetryTiers).Select(i => TimeSpan.FromSeconds(i)), TimeSpan.FromSeconds(1)];
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(0)]
    public void Check_RetryableStatusOutOfRange_NamesIndex(int status)
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.RetryableStatusCodes = [429, status];
        var line = SingleFailure(options, $"{D}:Retry:RetryableStatusCodes:1");
        Assert.EndsWith($"(was {status})", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(599)]
    public void Check_RetryableStatusBounds_Pass(int status)
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.RetryableStatusCodes = [status];
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_UnknownRetryableErrorType_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.RetryableErrorTypes = ["RETRYABLE_ERROR", "RETRYABLE-ERROR"];
        SingleFailure(options, $"{D}:Retry:RetryableErrorTypes:1");
    }

    [Theory]
    [InlineData("MaxBodyBytes", 63)]
    [InlineData("MaxBodyBytes", 1024 * 1024 + 1)]
    [InlineData("MaxRedrives", -1)]
    [InlineData("MaxRedrives", 1001)]
    public void Check_DeadLetterOutOfRange_NamesKey(string member, int value)
    {
        var options = ValidOptions.Create();
        typeof(DeadLetterOptions).GetProperty(member)!.SetValue(options.Orders().DeadLetter, value);
        SingleFailure(options, $"{D}:DeadLetter:{member}");
    }

    [Theory]
    [InlineData("00:00:00.009")]
    [InlineData("00:10:01")]
    public void Check_HttpTimeoutOutOfRange_Fails(string value)
    {
        var options = ValidOptions.Create();
        options.Orders().Http.Timeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        SingleFailure(options, $"{D}:Http:Timeout");
    }

    [Theory]
    [InlineData("00:00:00.010")]
    [InlineData("00:10:00")]
    public void Check_HttpTimeoutAtBounds_Valid(string value)
    {
        var options = ValidOptions.Create();
        options.Orders().Http.Timeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_HttpTimeoutZero_FailsWithRange()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.Timeout = TimeSpan.Zero;
        var line = SingleFailure(options, $"{D}:Http:Timeout");
        Assert.EndsWith(": must be between 00:00:00.0100000 and 00:10:00 (was 00:00:00)", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(256 * 1024 * 1024)]
    public void Check_MaxResponseBytesAtBounds_Valid(int value)
    {
        var options = ValidOptions.Create();
        options.Orders().Http.MaxResponseBytes = value;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_MaxResponseBytesZero_FailsWithRange()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.MaxResponseBytes = 0;
        Assert.Contains("must be between 1024 and 268435456 (was 0)", SingleFailure(options, $"{D}:Http:MaxResponseBytes"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1023)]
    [InlineData(256 * 1024 * 1024 + 1)]
    public void Check_MaxResponseBytesOutOfRange_Fails(int value)
    {
        var options = ValidOptions.Create();
        options.Orders().Http.MaxResponseBytes = value;
        SingleFailure(options, $"{D}:Http:MaxResponseBytes");
    }

    [Fact]
    public void Check_BaseAddressRelative_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BaseAddress = new Uri("api/v1", UriKind.Relative);
        SingleFailure(options, $"{D}:Http:BaseAddress");
    }

    [Fact]
    public void Check_BaseAddressNotHttp_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BaseAddress = new Uri("ftp://files.example.org");
        var line = SingleFailure(options, $"{D}:Http:BaseAddress");
        Assert.Contains("'ftp'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BaseAddressWithCredentials_FailsWithoutEchoingThem()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BaseAddress = new Uri("https://user:hunter2@api.example.org");
        var line = SingleFailure(options, $"{D}:Http:BaseAddress");
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.example.org")]
    [InlineData("https://api.example.org:8443/v1/")]
    public void Check_BaseAddressHttpOrHttps_Passes(string uri)
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BaseAddress = new Uri(uri);
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_BasicUserWithoutPassword_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BasicAuthUser = "svc";
        SingleFailure(options, $"{D}:Http:BasicAuthPasswordFile");
    }

    [Fact]
    public void Check_BasicPasswordWithoutUser_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BasicAuthPasswordFile = "/run/secrets/pw";
        SingleFailure(options, $"{D}:Http:BasicAuthUser");
    }

    [Fact]
    public void Check_BasicAndBearer_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BasicAuthUser = "svc";
        options.Orders().Http.BasicAuthPasswordFile = "/run/secrets/pw";
        options.Orders().Http.BearerTokenEnvironmentVariable = "API_TOKEN";
        SingleFailure(options, $"{D}:Http:BasicAuthUser");
    }

    [Fact]
    public void Check_BasicAuthComplete_Passes()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BasicAuthUser = "svc";
        options.Orders().Http.BasicAuthPasswordFile = "/run/secrets/pw";
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData("API TOKEN")]
    [InlineData("A=B")]
    public void Check_BearerTokenVariableNameInvalid_Fails(string variable)
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BearerTokenEnvironmentVariable = variable;
        SingleFailure(options, $"{D}:Http:BearerTokenEnvironmentVariable");
    }

    [Fact]
    public void Check_NullSections_ReportedNotThrown()
    {
        var options = ValidOptions.Create();
        options.Kafka = null!;
        options.Http = null!;
        var d = options.Orders();
        d.Batch = null!;
        d.Retry = null!;
        d.DeadLetter = null!;
        d.Http = null!;

        var failures = DeliveryOptionsValidator.Check(options);

        Assert.Equal(
            ["Delivery:Kafka", "Delivery:Http", $"{D}:Batch", $"{D}:Retry", $"{D}:DeadLetter", $"{D}:Http"],
            failures.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void CheckAndValidate_Null_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => DeliveryOptionsValidator.Check(null!));
        Assert.Throws<ArgumentNullException>(() => new DeliveryOptionsValidator().Validate(null, null!));
        Assert.Throws<ArgumentNullException>(() => DeliveryOptionsValidator.IsSecretKey(null!));
    }

    [Fact]
    public void Check_ClientKeys_ReportedInKeyOrder()
    {
        var options = ValidOptions.Create();
        options.Kafka.Client["group.id"] = "g";
        options.Kafka.Client["acks"] = "all";

        var failures = DeliveryOptionsValidator.Check(options);

        Assert.Equal(["Delivery:Kafka:Client:acks", "Delivery:Kafka:Client:group.id"], failures.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Check_EventIdHeaderEmpty_MeansNone()
    {
        var options = ValidOptions.Create();
        options.Orders().EventIdHeader = "";
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_SourceTopicsNull_ReportedNotThrown()
    {
        var options = ValidOptions.Create();
        options.Orders().SourceTopics = null!;
        SingleFailure(options, $"{D}:SourceTopics");
    }

    [Fact]
    public void Check_DelayOfMaximum_Passes()
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.Delays = [DeliveryOptionsValidator.MaxRetryDelay];
        options.Orders().Retry.MaxAge = DeliveryOptionsValidator.MaxRetryDelay;
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_BlankBearerWithBasicAuth_Passes()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BasicAuthUser = "svc";
        options.Orders().Http.BasicAuthPasswordFile = "/run/secrets/pw";
        options.Orders().Http.BearerTokenFile = "  ";
        options.Orders().Http.BearerTokenEnvironmentVariable = "";
        Assert.Empty(DeliveryOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_BearerFileWithBasicAuth_Fails()
    {
        var options = ValidOptions.Create();
        options.Orders().Http.BasicAuthUser = "svc";
        options.Orders().Http.BasicAuthPasswordFile = "/run/secrets/pw";
        options.Orders().Http.BearerTokenFile = "/run/secrets/token";
        SingleFailure(options, $"{D}:Http:BasicAuthUser");
    }

    [Fact]
    public void Check_JitterValue_EchoedRoundTrip()
    {
        var options = ValidOptions.Create();
        options.Orders().Retry.Jitter = 1.25;
        Assert.Equal($"{D}:Retry:Jitter: must be between 0 and 1 (was 1.25)", SingleFailure(options, $"{D}:Retry:Jitter"));
    }

    [Fact]
    public void Check_SeveralProblems_OneLineEach()
    {
        var options = ValidOptions.Create();
        options.Orders().Batch.MaxEvents = 0;
        options.Orders().Retry.MaxAttempts = 0;
        options.Kafka.Client["acks"] = "1";

        var failures = DeliveryOptionsValidator.Check(options);

        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.StartsWith("Delivery:", f, StringComparison.Ordinal));
    }
}
