using System.Text;
using Confluent.Kafka;

namespace Delivery.Worker.Demo;

/// <summary>Produces sample JSON order events at a steady rate; counts what the broker acknowledged.</summary>
internal sealed class DemoEventGenerator(string bootstrapServers, string topic, int rate, TimeProvider time, Func<long, string, string>? shape = null) : IDisposable
{
    private static readonly string[] Products = ["book", "lamp", "kettle", "chair", "plant", "mug"];
    private static readonly string[] Zips = ["10115", "20095", "80331", "50667", "60311"];
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
        ClientId = "delivery-worker-demo-generator",
    }).Build();

    private long _sent;
    private long _produced;
    private long _failed;

    /// <summary>Records acknowledged by the broker.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>Records the broker refused (not counted as produced).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Produces until <paramref name="cancellationToken"/> is cancelled, then waits for the acknowledgements.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromMilliseconds(100);
        using var timer = new PeriodicTimer(tick, time);
        var started = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Catch up to rate × elapsed, so the rate holds even when a tick is late.
                var due = (long)(time.GetElapsedTime(started).TotalSeconds * rate);
                while (_sent < due && !cancellationToken.IsCancellationRequested && TryProduce(_sent))
                {
                    _sent++;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }

        await Task.Run(() => _producer.Flush(TimeSpan.FromSeconds(10)), CancellationToken.None);
    }

    /// <inheritdoc />
    public void Dispose() => _producer.Dispose();

    private bool TryProduce(long n)
    {
        var id = DemoEventIds.Id(n);
        var json = shape is null
            ? $$"""{"orderId":"{{id}}","product":"{{Products[n % Products.Length]}}","quantity":{{1 + (n % 3)}},"zip":"{{Zips[n % Zips.Length]}}"}"""
            : shape(n, id);
        var message = new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes($"customer-{n % 97}"),
            Value = Encoding.UTF8.GetBytes(json),
        };
        try
        {
            _producer.Produce(topic, message, report =>
            {
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref _failed);
                }
                else
                {
                    Interlocked.Increment(ref _produced);
                }
            });
            return true;
        }
        catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
        {
            return false; // the local queue is full: try again on the next tick
        }
    }
}
