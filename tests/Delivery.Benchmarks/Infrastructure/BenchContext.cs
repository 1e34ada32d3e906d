using System.Diagnostics;
using System.Globalization;
using Delivery.Benchmarks.Reporting;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>What the scenarios share in one run: settings, the cluster, the pre-produced source topic, the checks.</summary>
internal sealed class BenchContext(BenchSettings settings) : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private BenchCluster? _cluster;
    private string? _sourceTopic;

    public BenchSettings Settings { get; } = settings;

    public List<Check> Checks { get; } = [];

    /// <summary>Median raw consume rate of this run (set by the raw vs worker scenario).</summary>
    public double? RawEventsPerSecond { get; set; }

    /// <summary>
    /// Partitions of the source topic. The mock cluster keeps at most 5 MB of record batches per partition (older
    /// batches are dropped: rdkafka_mock.c, <c>mpart->max_size</c>), so the records are spread to stay under ~4 MB each.
    /// </summary>
    public int Partitions => Math.Max(6, (int)Math.Ceiling(Settings.Events * 300.0 / (4 * 1024 * 1024)));

    public BenchCluster Cluster => _cluster ??= BenchCluster.Start();

    public bool HasCluster => _cluster is not null;

    /// <summary>The topic holding <see cref="BenchSettings.Events"/> pre-produced records (produced on first use).</summary>
    public string SourceTopic
    {
        get
        {
            if (_sourceTopic is null)
            {
                var topic = BenchCluster.Unique("bench-source");
                Cluster.CreateTopic(topic, Partitions);
                var took = Cluster.Produce(topic, Settings.Events);
                Log($"pre-produced {Settings.Events:N0} records to {topic} in {took.TotalSeconds:0.0}s");
                _sourceTopic = topic;
            }

            return _sourceTopic;
        }
    }

    public void Log(string message) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[bench {_clock.Elapsed:mm\\:ss}] {message}"));

    public void Dispose() => _cluster?.Dispose();
}
