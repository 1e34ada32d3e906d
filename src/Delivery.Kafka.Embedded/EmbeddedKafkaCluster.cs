using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Delivery.Kafka.Embedded;

/// <summary>
/// An in-memory Kafka-protocol cluster: librdkafka's mock cluster, reached through P/Invoke (DESIGN.md §8). Brokers
/// listen on 127.0.0.1 ports, so other processes can connect to <see cref="BootstrapServers"/>. Data lives in
/// memory only: for the demo and the tests, never production. Thread-safe.
/// </summary>
public sealed unsafe class EmbeddedKafkaCluster : IDisposable
{
    private readonly Lock _gate = new();
    private IntPtr _rk;
    private IntPtr _cluster;

    private EmbeddedKafkaCluster(IntPtr rk, IntPtr cluster, int brokers)
    {
        _rk = rk;
        _cluster = cluster;
        BrokerCount = brokers;
        BootstrapServers = Marshal.PtrToStringUTF8(LibRdKafkaMock.rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap servers.");
    }

    /// <summary>Bootstrap servers (127.0.0.1:port,…).</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1..<see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>Broker-side session timeout of KIP-848 consumer groups that <see cref="Start"/> sets unless told otherwise.</summary>
    public static readonly TimeSpan DefaultConsumerGroupSessionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Broker-side heartbeat interval of KIP-848 consumer groups that <see cref="Start"/> sets unless told otherwise.</summary>
    public static readonly TimeSpan DefaultConsumerGroupHeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Starts a cluster of <paramref name="brokers"/> brokers. The consumer group initial rebalance delay is set to
    /// <paramref name="initialRebalanceDelay"/> (the mock's default is about 3 s). KIP-848 consumer groups get the
    /// broker-side session timeout <paramref name="consumerGroupSessionTimeout"/> (default
    /// <see cref="DefaultConsumerGroupSessionTimeout"/>: how long a crashed member keeps its partitions) and heartbeat
    /// interval <paramref name="consumerGroupHeartbeatInterval"/> (default <see cref="DefaultConsumerGroupHeartbeatInterval"/>:
    /// how soon a member hears of partitions to give up or take), what a tuned broker gives
    /// (<c>group.consumer.session.timeout.ms</c>, <c>group.consumer.heartbeat.interval.ms</c>).
    /// </summary>
    public static EmbeddedKafkaCluster Start(
        int brokers = 3,
        TimeSpan? initialRebalanceDelay = null,
        TimeSpan? consumerGroupSessionTimeout = null,
        TimeSpan? consumerGroupHeartbeatInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var errstr = stackalloc byte[512];
        var conf = LibRdKafkaMock.rd_kafka_conf_new();
        foreach (var (key, value) in new[] { ("client.id", "delivery-embedded-kafka"), ("log_level", "3") })
        {
            if (LibRdKafkaMock.rd_kafka_conf_set(conf, key, value, errstr, 512) != LibRdKafkaMock.ConfOk)
            {
                LibRdKafkaMock.rd_kafka_conf_destroy(conf);
                throw new InvalidOperationException($"rd_kafka_conf_set {key}: {Read(errstr)}");
            }
        }

        var rk = LibRdKafkaMock.rd_kafka_new(LibRdKafkaMock.ProducerType, conf, errstr, 512);
        if (rk == IntPtr.Zero)
        {
            LibRdKafkaMock.rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"rd_kafka_new: {Read(errstr)}");
        }

        var cluster = LibRdKafkaMock.rd_kafka_mock_cluster_new(rk, brokers);
        if (cluster == IntPtr.Zero)
        {
            LibRdKafkaMock.rd_kafka_destroy(rk);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed.");
        }

        var result = new EmbeddedKafkaCluster(rk, cluster, brokers);
        result.SetInitialRebalanceDelay(initialRebalanceDelay ?? TimeSpan.FromMilliseconds(100));
        result.SetConsumerGroupSessionTimeout(consumerGroupSessionTimeout ?? DefaultConsumerGroupSessionTimeout);
        result.SetConsumerGroupHeartbeatInterval(consumerGroupHeartbeatInterval ?? DefaultConsumerGroupHeartbeatInterval);
        return result;
    }

    /// <summary>Creates a topic (the mock does not implement the CreateTopics API). Existing topics are kept.</summary>
    public void CreateTopic(string topic, int partitions = 1, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        lock (_gate)
        {
            var err = (ErrorCode)LibRdKafkaMock.rd_kafka_mock_topic_create(Handle(), topic, partitions, Math.Min(Math.Max(1, replicationFactor), BrokerCount));
            if (err is not ErrorCode.NoError and not ErrorCode.TopicAlreadyExists)
            {
                throw new InvalidOperationException($"rd_kafka_mock_topic_create {topic}: {err}");
            }
        }
    }

    /// <summary>The next <c>errors.Length</c> requests with <paramref name="apiKey"/> (to any broker) fail with these errors, in order.</summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = errors.Select(e => (int)e).ToArray();
        lock (_gate)
        {
            fixed (int* p = codes)
            {
                LibRdKafkaMock.rd_kafka_mock_push_request_errors_array(Handle(), (short)apiKey, (nuint)codes.Length, p);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests with <paramref name="apiKey"/> fail with <paramref name="error"/>.</summary>
    public void PushRequestErrors(KafkaApiKey apiKey, ErrorCode error, int count)
        => PushRequestErrors(apiKey, Enumerable.Repeat(error, count).ToArray());

    /// <summary>Drops the pending injected errors of <paramref name="apiKey"/>.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey)
    {
        lock (_gate)
        {
            LibRdKafkaMock.rd_kafka_mock_clear_request_errors(Handle(), (short)apiKey);
        }
    }

    /// <summary>The next <paramref name="count"/> requests of <paramref name="apiKey"/> for one partition fail with <paramref name="error"/>.</summary>
    public void PushPartitionRequestErrors(string topic, int partition, KafkaApiKey apiKey, ErrorCode error, int count)
    {
        lock (_gate)
        {
            Check(LibRdKafkaMock.rd_kafka_mock_partition_push_request_errors(Handle(), topic, partition, (short)apiKey, (nuint)count, (int)error), "partition_push_request_errors");
        }
    }

    /// <summary>Makes broker <paramref name="brokerId"/> the coordinator of consumer group <paramref name="groupId"/>.</summary>
    public void SetGroupCoordinator(string groupId, int brokerId)
    {
        lock (_gate)
        {
            Check(LibRdKafkaMock.rd_kafka_mock_coordinator_set(Handle(), "group", groupId, brokerId), "coordinator_set");
        }
    }

    /// <summary>Takes broker <paramref name="brokerId"/> down (connections closed, new ones refused).</summary>
    public void SetBrokerDown(int brokerId)
    {
        lock (_gate)
        {
            Check(LibRdKafkaMock.rd_kafka_mock_broker_set_down(Handle(), brokerId), "broker_set_down");
        }
    }

    /// <summary>Brings broker <paramref name="brokerId"/> back up.</summary>
    public void SetBrokerUp(int brokerId)
    {
        lock (_gate)
        {
            Check(LibRdKafkaMock.rd_kafka_mock_broker_set_up(Handle(), brokerId), "broker_set_up");
        }
    }

    /// <summary>Adds <paramref name="rtt"/> round-trip delay to every response of broker <paramref name="brokerId"/>.</summary>
    public void SetBrokerRtt(int brokerId, TimeSpan rtt)
    {
        lock (_gate)
        {
            Check(LibRdKafkaMock.rd_kafka_mock_broker_set_rtt(Handle(), brokerId, (int)rtt.TotalMilliseconds), "broker_set_rtt");
        }
    }

    /// <summary>Sets how long a consumer group's first join waits for more members.</summary>
    public void SetInitialRebalanceDelay(TimeSpan delay)
    {
        lock (_gate)
        {
            LibRdKafkaMock.rd_kafka_mock_group_initial_rebalance_delay_ms(Handle(), (int)delay.TotalMilliseconds);
        }
    }

    /// <summary>
    /// Sets the broker-side session timeout of KIP-848 consumer groups (<c>group.protocol=consumer</c>): how long a
    /// crashed member keeps its partitions.
    /// </summary>
    public void SetConsumerGroupSessionTimeout(TimeSpan timeout)
    {
        lock (_gate)
        {
            LibRdKafkaMock.rd_kafka_mock_set_group_consumer_session_timeout_ms(Handle(), (int)timeout.TotalMilliseconds);
        }
    }

    /// <summary>Sets the broker-side heartbeat interval of KIP-848 consumer groups.</summary>
    public void SetConsumerGroupHeartbeatInterval(TimeSpan interval)
    {
        lock (_gate)
        {
            LibRdKafkaMock.rd_kafka_mock_set_group_consumer_heartbeat_interval_ms(Handle(), (int)interval.TotalMilliseconds);
        }
    }

    /// <summary>
    /// Sets the versions of <paramref name="apiKey"/> the brokers advertise in ApiVersions; -1/-1 removes the API, as
    /// on a broker that does not have it.
    /// </summary>
    public void SetApiVersion(KafkaApiKey apiKey, short minVersion, short maxVersion)
    {
        lock (_gate)
        {
            Check(LibRdKafkaMock.rd_kafka_mock_set_apiversion(Handle(), (short)apiKey, minVersion, maxVersion), "set_apiversion");
        }
    }

    /// <summary>Starts recording every request the cluster receives (see <see cref="GetRequests"/>).</summary>
    public void StartRequestTracking()
    {
        lock (_gate)
        {
            LibRdKafkaMock.rd_kafka_mock_start_request_tracking(Handle());
        }
    }

    /// <summary>Stops recording requests.</summary>
    public void StopRequestTracking()
    {
        lock (_gate)
        {
            LibRdKafkaMock.rd_kafka_mock_stop_request_tracking(Handle());
        }
    }

    /// <summary>The requests recorded since tracking started or was cleared.</summary>
    public IReadOnlyList<MockRequest> GetRequests()
    {
        lock (_gate)
        {
            nuint count = 0;
            var requests = LibRdKafkaMock.rd_kafka_mock_get_requests(Handle(), &count);
            if (requests == null)
            {
                return [];
            }

            try
            {
                var result = new MockRequest[(int)count];
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = new MockRequest(
                        LibRdKafkaMock.rd_kafka_mock_request_id(requests[i]),
                        LibRdKafkaMock.rd_kafka_mock_request_api_key(requests[i]),
                        LibRdKafkaMock.rd_kafka_mock_request_timestamp(requests[i]));
                }

                return result;
            }
            finally
            {
                LibRdKafkaMock.rd_kafka_mock_request_destroy_array(requests, count);
            }
        }
    }

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests()
    {
        lock (_gate)
        {
            LibRdKafkaMock.rd_kafka_mock_clear_requests(Handle());
        }
    }

    /// <summary>Stops the brokers and frees the owning handle.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != IntPtr.Zero)
            {
                LibRdKafkaMock.rd_kafka_mock_cluster_destroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_rk != IntPtr.Zero)
            {
                LibRdKafkaMock.rd_kafka_destroy(_rk);
                _rk = IntPtr.Zero;
            }
        }
    }

    private static string Read(byte* errstr) => Marshal.PtrToStringUTF8((IntPtr)errstr) ?? string.Empty;

    private static void Check(int err, string what)
    {
        if (err != 0)
        {
            throw new InvalidOperationException($"rd_kafka_mock_{what}: {(ErrorCode)err}");
        }
    }

    private IntPtr Handle()
    {
        ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
        return _cluster;
    }
}
