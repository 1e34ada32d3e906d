using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Delivery.Worker.Tests.Process.Fleet;

/// <summary>
/// Produces a steady stream (<c>ratePerSecond</c>, round robin over the partitions) with an <c>event-id</c> header and
/// a JSON value, remembering when each event was handed to the producer: the start of its wait for delivery.
/// </summary>
internal sealed class FleetProducer : IAsyncDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _topic;
    private readonly int _partitions;
    private readonly double _rate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _failed;

    private FleetProducer(string bootstrap, string topic, int partitions, double ratePerSecond)
    {
        _topic = topic;
        _partitions = partitions;
        _rate = ratePerSecond;
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5 }).Build();
        _loop = Task.Factory.StartNew(Loop, TaskCreationOptions.LongRunning);
    }

    /// <summary>Event id → Stopwatch timestamp of its produce call.</summary>
    public ConcurrentDictionary<string, long> ProducedAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Event id → (partition, offset) from its acknowledgement.</summary>
    public ConcurrentDictionary<string, (int Partition, long Offset)> Offsets { get; } = new(StringComparer.Ordinal);

    public long Failed => Interlocked.Read(ref _failed);

    public static FleetProducer Start(string bootstrap, string topic, int partitions, double ratePerSecond) => new(bootstrap, topic, partitions, ratePerSecond);

    public static int PartitionOf(string id) => int.Parse(id.AsSpan(1, id.IndexOf('-', StringComparison.Ordinal) - 1), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>Ids of the events produced between two Stopwatch timestamps.</summary>
    public IReadOnlyList<string> ProducedBetween(long from, long to) => ProducedAt.Where(kv => kv.Value >= from && kv.Value < to).Select(kv => kv.Key).ToList();

    /// <summary>Stops producing and waits for every acknowledgement.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
            _producer.Flush(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _producer.Dispose();
        _stop.Dispose();
    }

    private void Loop()
    {
        var clock = Stopwatch.StartNew();
        long sequence = 0;
        while (!_stop.IsCancellationRequested)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * _rate);
            for (; sequence < due; sequence++)
            {
                var partition = (int)(sequence % _partitions);
                var id = string.Create(CultureInfo.InvariantCulture, $"p{partition}-{sequence:D7}");
                var message = new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(id),
                    Value = Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"),
                    Headers = new Headers { { "event-id", Encoding.UTF8.GetBytes(id) } },
                };
                ProducedAt[id] = Stopwatch.GetTimestamp();
                _producer.Produce(new TopicPartition(_topic, partition), message, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref _failed);
                        ProducedAt.TryRemove(id, out _);
                    }
                    else
                    {
                        Offsets[id] = (report.Partition.Value, report.Offset.Value);
                    }
                });
            }

            _stop.Token.WaitHandle.WaitOne(10);
        }
    }
}
