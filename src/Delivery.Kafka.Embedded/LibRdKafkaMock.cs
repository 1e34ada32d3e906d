using System.Runtime.InteropServices;

namespace Delivery.Kafka.Embedded;

/// <summary>
/// P/Invoke entry points of librdkafka's mock cluster (rdkafka_mock.h, librdkafka 2.16.0) and the few client calls
/// needed to own an <c>rd_kafka_t</c>. "librdkafka" resolves to the native file Confluent.Kafka loaded
/// (<see cref="LibRdKafkaResolver"/>).
/// </summary>
internal static unsafe partial class LibRdKafkaMock
{
    private const string Library = "librdkafka";

    static LibRdKafkaMock() => LibRdKafkaResolver.Register();

    /// <summary>RD_KAFKA_PRODUCER.</summary>
    public const int ProducerType = 0;

    /// <summary>RD_KAFKA_CONF_OK.</summary>
    public const int ConfOk = 0;

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library)]
    public static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Library)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_cluster_destroy(IntPtr mcluster);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_push_request_errors_array(IntPtr mcluster, short apiKey, nuint count, int* errors);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_clear_request_errors(IntPtr mcluster, short apiKey);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_partition_push_request_errors(IntPtr mcluster, string topic, int partition, short apiKey, nuint count, int error);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_coordinator_set(IntPtr mcluster, string keyType, string key, int brokerId);

    [LibraryImport(Library)]
    public static partial int rd_kafka_mock_broker_set_down(IntPtr mcluster, int brokerId);

    [LibraryImport(Library)]
    public static partial int rd_kafka_mock_broker_set_up(IntPtr mcluster, int brokerId);

    [LibraryImport(Library)]
    public static partial int rd_kafka_mock_broker_set_rtt(IntPtr mcluster, int brokerId, int rttMs);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_start_request_tracking(IntPtr mcluster);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_stop_request_tracking(IntPtr mcluster);

    [LibraryImport(Library)]
    public static partial IntPtr* rd_kafka_mock_get_requests(IntPtr mcluster, nuint* count);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_clear_requests(IntPtr mcluster);

    [LibraryImport(Library)]
    public static partial short rd_kafka_mock_request_api_key(IntPtr request);

    [LibraryImport(Library)]
    public static partial long rd_kafka_mock_request_timestamp(IntPtr request);

    [LibraryImport(Library)]
    public static partial int rd_kafka_mock_request_id(IntPtr request);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_request_destroy_array(IntPtr* requests, nuint count);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_set_group_consumer_session_timeout_ms(IntPtr mcluster, int sessionTimeoutMs);

    [LibraryImport(Library)]
    public static partial void rd_kafka_mock_set_group_consumer_heartbeat_interval_ms(IntPtr mcluster, int heartbeatIntervalMs);

    [LibraryImport(Library)]
    public static partial int rd_kafka_mock_set_apiversion(IntPtr mcluster, short apiKey, short minVersion, short maxVersion);
}
