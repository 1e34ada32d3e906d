using BenchmarkDotNet.Attributes;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Options;
using Delivery.Core.Outcomes;
using Delivery.Core.Retry;

namespace Delivery.Benchmarks.Micro;

/// <summary>
/// Outcome resolution of a 500-event batch (the response is built once; only resolution is measured). Figures are per
/// event (OperationsPerInvoke = 500).
/// </summary>
[MemoryDiagnoser]
public class OutcomeResolutionBenchmarks
{
    public const int BatchSize = 500;

    private readonly Random _random = new(42);
    private readonly RetryPolicy _policy = new(new RetryOptions());
    private readonly DateTimeOffset _now = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);
    private DeliveryBatch _batch = null!;
    private MultiStatusResponse _allSuccess = null!;
    private MultiStatusResponse _mixed = null!;

    /// <summary>Events of the mixed batch that are delivered (the rest: 10% 503 retried, 2% 400 dead-lettered).</summary>
    public static int MixedDelivered { get; } = Enumerable.Range(0, BatchSize).Count(i => MixedVerdict(i) == 200);

    [GlobalSetup]
    public void Setup()
    {
        var events = new DeliveryEvent[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            events[i] = new DeliveryEvent
            {
                EventId = $"evt-{i:D9}",
                Value = new byte[200],
                Attempt = 1,
                FirstAttemptAt = _now.AddSeconds(-1),
                Origin = new EventOrigin("orders", 0, i, _now),
            };
        }

        _batch = new DeliveryBatch("bench", events);
        _allSuccess = new MultiStatusResponse(BatchSize);
        _mixed = new MultiStatusResponse(BatchSize);
        var ok = new ActionDestinationSuccessResponse { Status = 200 };
        for (var i = 0; i < BatchSize; i++)
        {
            _allSuccess.PushSuccessResponse(ok);
            var status = MixedVerdict(i);
            if (status == 200)
            {
                _mixed.PushSuccessResponse(ok);
            }
            else
            {
                _mixed.PushErrorResponse(new ActionDestinationErrorResponse { Status = status, ErrorMessage = "failed" });
            }
        }
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "resolve 500 all-success")]
    public BatchResolution ResolveAllSuccess() => OutcomeResolver.Resolve(_batch, _allSuccess, _policy, _now, _random);

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "resolve 500 mixed (10% 503, 2% 400)")]
    public BatchResolution ResolveMixed() => OutcomeResolver.Resolve(_batch, _mixed, _policy, _now, _random);

    private static int MixedVerdict(int i) => i % 10 == 3 ? 503 : i % 50 == 7 ? 400 : 200;
}
