using System.Diagnostics;
using Confluent.Kafka;

namespace Delivery.Worker.Tests.Process.Fleet;

/// <summary>
/// A fleet of real delivery-worker processes (one consumer group) reading one source topic from a Kafka-protocol
/// cluster at its bootstrap address, delivering over HttpBatch to a <see cref="FleetDestination"/>, while a
/// <see cref="FleetProducer"/> writes a steady stream. Replicas run with the configuration users get: no
/// <c>Delivery:Kafka:Client</c> keys, GroupProtocol Auto, pipeline and batch defaults.
/// </summary>
internal sealed class FleetScenario : IAsyncDisposable
{
    /// <summary>Destination name: group <c>delivery.fleet</c>, tiers <c>fleet.retry.N</c>, DLQ <c>fleet.dlq</c> (a fresh cluster per scenario).</summary>
    public const string Name = "fleet";
    public const string SourceTopic = "fleet-source";

    /// <summary>Defaults of the options the duplicate bound is derived from (BatchOptions, PipelineOptions).</summary>
    public const int MaxEvents = 500;
    public const int MaxConcurrent = 4;
    public static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(250);

    private readonly List<WorkerProcess> _replicas = [];
    private readonly string _directory;
    private int _next;

    private FleetScenario(string bootstrap, int partitions, double rate, FleetDestination destination, string directory)
    {
        BootstrapServers = bootstrap;
        Partitions = partitions;
        Rate = rate;
        Destination = destination;
        _directory = directory;
    }

    public string BootstrapServers { get; }

    public int Partitions { get; }

    public double Rate { get; }

    public FleetDestination Destination { get; }

    public FleetProducer? Producer { get; private set; }

    /// <summary>Extra JSON members of <c>Delivery:Kafka</c> (diagnostics; empty: the defaults), e.g. <c>"GroupProtocol": "Classic"</c>.</summary>
    public string KafkaExtra { get; set; } = string.Empty;

    public IReadOnlyList<WorkerProcess> Replicas => _replicas;

    /// <summary>Creates the topics (the mock cluster has no CreateTopics API, so the replicas run with CreateTopics false) and the destination.</summary>
    public static async Task<FleetScenario> CreateAsync(Func<string, int, Task> createTopic, string bootstrap, int partitions, double rate, TimeSpan serviceTime)
    {
        ArgumentNullException.ThrowIfNull(createTopic);
        await createTopic(SourceTopic, partitions);
        foreach (var tier in Enumerable.Range(1, 5))
        {
            await createTopic($"{Name}.retry.{tier}", 2);
        }

        await createTopic($"{Name}.dlq", 2);
        var directory = Path.Combine(Path.GetTempPath(), "delivery-fleet-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new FleetScenario(bootstrap, partitions, rate, await FleetDestination.StartAsync(serviceTime), directory);
    }

    /// <summary>The most events a replica can have delivered without committing them: what is redelivered when its partitions move without a final commit.</summary>
    public long UncommittedBound => (MaxConcurrent * MaxEvents) + (long)Math.Ceiling(Rate * (CommitInterval + MaxWait + CommitInterval).TotalSeconds);

    public void StartProducing() => Producer ??= FleetProducer.Start(BootstrapServers, SourceTopic, Partitions, Rate);

    /// <summary>Starts replica <c>r{n}</c> (its own config file: the same group, its own request path).</summary>
    public WorkerProcess StartReplica()
    {
        var name = $"r{++_next}";
        var file = Path.Combine(_directory, $"{name}.json");
        File.WriteAllText(file, Config(name));
        var replica = WorkerProcess.Start(name, file);
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>Distinct events received so far.</summary>
    public int DistinctReceived() => Destination.Receipts.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count();

    /// <summary>True once every id of <paramref name="ids"/> was received.</summary>
    public bool AllReceived(IEnumerable<string> ids)
    {
        var received = Destination.Receipts.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return ids.All(received.Contains);
    }

    /// <summary>First receipt per event id.</summary>
    public Dictionary<string, FleetReceipt> FirstReceipts()
    {
        var first = new Dictionary<string, FleetReceipt>(StringComparer.Ordinal);
        foreach (var receipt in Destination.Receipts)
        {
            if (!first.TryGetValue(receipt.Id, out var seen) || receipt.At < seen.At)
            {
                first[receipt.Id] = receipt;
            }
        }

        return first;
    }

    /// <summary>The longest wait (produce → first receipt) of <paramref name="ids"/>; an id not received yet counts up to now.</summary>
    public TimeSpan WorstWait(IEnumerable<string> ids, Dictionary<string, FleetReceipt>? first = null)
    {
        first ??= FirstReceipts();
        var now = Stopwatch.GetTimestamp();
        var worst = TimeSpan.Zero;
        foreach (var id in ids)
        {
            var produced = Producer!.ProducedAt[id];
            var wait = Stopwatch.GetElapsedTime(produced, first.TryGetValue(id, out var r) ? r.At : now);
            worst = wait > worst ? wait : worst;
        }

        return worst;
    }

    /// <summary>Partitions whose events <paramref name="replica"/> delivered among those produced between two timestamps.</summary>
    public IReadOnlySet<int> PartitionsOf(string replica, long from, long to)
    {
        var first = FirstReceipts();
        return Producer!.ProducedBetween(from, to)
            .Where(id => first.TryGetValue(id, out var r) && r.Replica == replica)
            .Select(FleetProducer.PartitionOf).ToHashSet();
    }

    /// <summary>Committed offsets of the group on the source topic, per partition.</summary>
    public Dictionary<int, long> CommittedOffsets()
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = $"delivery.{Name}", EnableAutoCommit = false }).Build();
        return consumer.Committed(Enumerable.Range(0, Partitions).Select(p => new TopicPartition(SourceTopic, p)), TimeSpan.FromSeconds(10))
            .ToDictionary(c => c.Partition.Value, c => Math.Max(0, c.Offset.Value));
    }

    /// <summary>The ledger once production stopped: every produced event received (missing listed), duplicates counted.</summary>
    public FleetLedger Ledger()
    {
        var produced = Producer!.ProducedAt.Keys.ToHashSet(StringComparer.Ordinal);
        var receipts = Destination.Receipts.ToList();
        var distinct = receipts.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return new FleetLedger(
            produced.Count,
            produced.Where(id => !distinct.Contains(id)).Order(StringComparer.Ordinal).ToList(),
            distinct.Count(id => !produced.Contains(id)),
            receipts.Count - distinct.Count,
            Producer.Failed);
    }

    public string Output() => string.Join(Environment.NewLine, _replicas.Select(r => r.Output(80)));

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        if (Producer is not null)
        {
            await Producer.DisposeAsync();
        }

        await Destination.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private string Config(string replica) => $$"""
        {
          "Delivery": {
            "Kafka": { "BootstrapServers": "{{BootstrapServers}}", "Embedded": false, "CreateTopics": false{{(KafkaExtra.Length > 0 ? ", " + KafkaExtra : string.Empty)}} },
            "Http": { "Port": 0 },
            "Destinations": {
              "{{Name}}": {
                "Type": "HttpBatch",
                "SourceTopics": [ "{{SourceTopic}}" ],
                "EventIdHeader": "event-id",
                "Http": { "BaseAddress": "{{Destination.Address}}", "Timeout": "00:00:10" },
                "Settings": { "Path": "ingest/{{replica}}", "EventIdField": "{{FleetDestination.EventIdField}}" }
              }
            }
          }
        }
        """;
}
