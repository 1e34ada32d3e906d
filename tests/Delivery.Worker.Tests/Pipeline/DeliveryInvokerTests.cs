using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;
using Delivery.Core.Options;
using Delivery.Core.Outcomes;
using Delivery.Core.Retry;
using Delivery.Worker.Pipeline;
using Delivery.Worker.Pipeline.Controls;
using Delivery.Worker.Telemetry;
using Delivery.Worker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.Registry;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>The invoker with the keyed Polly pipelines registered as the host registers them; the clock is fake.</summary>
public sealed class DeliveryInvokerTests : IAsyncDisposable
{
    private const string Destination = "d";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();
    private readonly ServiceProvider _services;
    private readonly PipelineRun _run = new();
    private readonly HeldBatches _held = new();
    private readonly LoopWakeup _wakeup;
    private readonly WorkTracker _work;
    private readonly PipelineOptions _tuning = new() { HoldInitialBackoff = TimeSpan.FromSeconds(1), HoldMaxBackoff = TimeSpan.FromSeconds(4), HandlerTimeout = TimeSpan.FromSeconds(5) };

    public DeliveryInvokerTests()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<DeliveryMetrics>();
        services.AddOptions<DeliveryOptions>().Configure(o => o.Destinations[Destination] = new DestinationOptions { Type = "T", SourceTopics = ["orders"] });
        services.AddOptions<PipelineOptions>().Configure(o =>
        {
            o.HoldInitialBackoff = _tuning.HoldInitialBackoff;
            o.HoldMaxBackoff = _tuning.HoldMaxBackoff;
            o.HandlerTimeout = _tuning.HandlerTimeout;
        });
        PipelineServiceCollectionExtensions.AddHandlerResilience(services);
        _services = services.BuildServiceProvider();
        _wakeup = new LoopWakeup(_time);
        _work = new WorkTracker(Destination, Metrics, _time, _wakeup);
    }

    private DeliveryMetrics Metrics => _services.GetRequiredService<DeliveryMetrics>();

    private DeliveryInvoker Invoker(IDestinationHandler handler, DeliveryControls? controls = null)
    {
        var provider = _services.GetRequiredService<ResiliencePipelineProvider<string>>();
        return new DeliveryInvoker(
            Destination, handler, provider.GetPipeline(HandlerResilience.CallKey(Destination)), provider.GetPipeline<HandlerCall>(HandlerResilience.HoldKey(Destination)),
            new RetryPolicy(new RetryOptions()), _tuning, _run, _held, controls ?? new DeliveryControls(new DestinationOptions(), _time), _work, new PipelineStatusCell(), Metrics, _time, NullLogger.Instance);
    }

    private static List<PendingRecord> Records(int count)
    {
        var state = PipelineUnits.Partition();
        return [.. Enumerable.Range(0, count).Select(i => PipelineUnits.Record(state, i))];
    }

    /// <summary>Waits for <paramref name="condition"/>, moving the fake clock on by a second at every look.</summary>
    private Task DriveUntilAsync(Func<bool> condition, string because)
        => Wait.UntilAsync(() => { _time.Advance(TimeSpan.FromSeconds(1)); return condition(); }, Deadline, because);

    [Fact]
    public async Task DeliverAsync_DestinationDownThenUp_HoldsInPlaceAndReportsTheRetriesAsMetrics()
    {
        using var events = new MetricCollector<long>(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DeliveryMetrics.MeterName, "delivery.resilience.events");
        var handler = new Handler(call => call <= 2 ? throw new DestinationUnavailableException("down", 503) : null);
        var records = Records(3);

        var delivering = Invoker(handler).DeliverAsync(records, default);
        await DriveUntilAsync(() => delivering.IsCompleted, "the batch is delivered after the outage");
        var outcomes = await delivering;

        Assert.Equal(3, handler.Calls);
        Assert.All(outcomes, o => Assert.IsType<EventOutcome.DeliveredOutcome>(o));
        Assert.Equal(0, _work.Holding);
        Assert.Equal(2, events.GetMeasurementSnapshot().Count(m => Equals(m.Tags["strategy"], "hold") && Equals(m.Tags["event"], "OnRetry")));
    }

    [Fact]
    public async Task DeliverAsync_HandlerTimesOut_IsAHoldNotAnEventError()
    {
        using var events = new MetricCollector<long>(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DeliveryMetrics.MeterName, "delivery.resilience.events");
        var hang = new TaskCompletionSource<MultiStatusResponse>();
        var handler = new Handler(call => call == 1 ? hang.Task : null);

        var delivering = Invoker(handler).DeliverAsync(Records(2), default);
        await DriveUntilAsync(() => delivering.IsCompleted, "the timed-out batch is retried and delivered");

        Assert.Equal(2, handler.Calls);
        Assert.All(await delivering, o => Assert.IsType<EventOutcome.DeliveredOutcome>(o));
        Assert.Contains(events.GetMeasurementSnapshot(), m => Equals(m.Tags["strategy"], "timeout") && Equals(m.Tags["event"], "OnTimeout"));
    }

    [Fact]
    public async Task DeliverAsync_PartitionRevokedWhileHeld_AbandonsTheBatch()
    {
        var handler = new Handler(_ => throw new DestinationUnavailableException("down", 503));
        var records = Records(2);

        var delivering = Invoker(handler).DeliverAsync(records, default);
        await Wait.UntilAsync(() => _work.Holding == 1, Deadline, "the batch holds");
        records[0].Partition.Revoke();
        _held.WakeAll();
        var outcomes = await delivering.WaitAsync(Deadline);

        Assert.All(outcomes, Assert.Null);
        Assert.Equal(0, _work.Holding);
    }

    [Fact]
    public async Task DeliverAsync_HandlerThrowsOnOneEvent_BisectsToIsolateIt()
    {
        var handler = new Handler(call => null, throwFor: "e-2");

        var outcomes = await Invoker(handler).DeliverAsync(Records(4), default).WaitAsync(Deadline);

        Assert.IsType<EventOutcome.DeliveredOutcome>(outcomes[0]);
        Assert.IsType<EventOutcome.DeliveredOutcome>(outcomes[1]);
        var retry = Assert.IsType<EventOutcome.Retry>(outcomes[2]);
        Assert.Equal(ErrorCodes.HandlerException, retry.Error.ErrorType);
        Assert.IsType<EventOutcome.DeliveredOutcome>(outcomes[3]);
    }

    [Fact]
    public async Task DeliverAsync_BatchLargerThanTheEventsBurst_DeliveredInCallsOfAtMostTheBurst()
    {
        var sizes = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var handler = new Handler(_ => null, sizes: sizes);
        using var controls = new DeliveryControls(new DestinationOptions { RateLimit = { EventsPerSecond = 40, EventsBurst = 2 } }, _time);

        var delivering = Invoker(handler, controls).DeliverAsync(Records(5), default);
        await DriveUntilAsync(() => delivering.IsCompleted, "every part is delivered (the controls' timer runs on the fake clock)");
        var outcomes = await delivering;

        Assert.Equal([2, 2, 1], sizes);
        Assert.Equal(5, outcomes.Length);
        Assert.All(outcomes, o => Assert.IsType<EventOutcome.DeliveredOutcome>(o));
    }

    [Fact]
    public async Task DeliverAsync_WholeRequest429ThenHealthy_HalvesTheConcurrencyLimitAndHoldsInPlace()
    {
        var handler = new Handler(call => call == 1 ? throw new DestinationUnavailableException("slow down", 429) : null);
        using var controls = new DeliveryControls(new DestinationOptions { Batch = { MaxConcurrent = 8 }, Concurrency = { HealthyInterval = TimeSpan.FromHours(1) } }, _time);

        var delivering = Invoker(handler, controls).DeliverAsync(Records(2), default);
        await DriveUntilAsync(() => delivering.IsCompleted, "the held batch is delivered");

        Assert.All(await delivering, o => Assert.IsType<EventOutcome.DeliveredOutcome>(o));
        Assert.Equal(4, controls.ConcurrencyLimit);
    }

    [Fact]
    public async Task DeliverAsync_PerEventRetryAfter_HalvesTheConcurrencyLimit()
    {
        var handler = new Handler(_ =>
        {
            var response = new MultiStatusResponse();
            response.PushSuccessResponse(new ActionDestinationSuccessResponse { Status = 200 });
            response.PushErrorResponse(new ActionDestinationErrorResponse { Status = 500, ErrorMessage = "later", RetryAfter = TimeSpan.FromSeconds(2) });
            return Task.FromResult(response);
        });
        using var controls = new DeliveryControls(new DestinationOptions { Batch = { MaxConcurrent = 4 } }, _time);

        var outcomes = await Invoker(handler, controls).DeliverAsync(Records(2), default).WaitAsync(Deadline);

        Assert.IsType<EventOutcome.DeliveredOutcome>(outcomes[0]);
        Assert.IsType<EventOutcome.Retry>(outcomes[1]);
        Assert.Equal(2, controls.ConcurrencyLimit);
    }

    [Fact]
    public async Task DeliverAsync_DrainWhileWaitingForRateLimitTokens_AbandonsWithoutCallingTheHandler()
    {
        var handler = new Handler(_ => null);
        using var controls = new DeliveryControls(new DestinationOptions { RateLimit = { RequestsPerSecond = 0.001, RequestsBurst = 1 } }, _time);
        var invoker = Invoker(handler, controls);
        await invoker.DeliverAsync(Records(1), default).WaitAsync(Deadline); // takes the only token

        var waiting = invoker.DeliverAsync(Records(1), default);
        await Task.Yield();
        Assert.False(waiting.IsCompleted); // waits for a token (one per 1,000 s), is not refused
        _run.BeginDrain();
        _held.WakeAll();
        var outcomes = await waiting.WaitAsync(Deadline);

        Assert.All(outcomes, Assert.Null);
        Assert.Equal(1, handler.Calls);
    }

    public async ValueTask DisposeAsync()
    {
        _run.Dispose();
        _wakeup.Dispose();
        await _services.DisposeAsync();
    }

    /// <summary>Answers every event with 200 unless <c>answer</c> throws or returns a task to wait on.</summary>
    private sealed class Handler(Func<int, Task<MultiStatusResponse>?> answer, string? throwFor = null, System.Collections.Concurrent.ConcurrentQueue<int>? sizes = null) : IDestinationHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<MultiStatusResponse> SendBatchAsync(DeliveryBatch batch, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            sizes?.Enqueue(batch.Count);
            if (answer(call) is { } pending)
            {
                return await pending.WaitAsync(cancellationToken);
            }

            if (throwFor is not null && batch.Any(e => e.EventId == throwFor))
            {
                throw new InvalidOperationException("cannot handle " + throwFor);
            }

            var response = new MultiStatusResponse();
            foreach (var _ in batch)
            {
                response.PushSuccessResponse(new ActionDestinationSuccessResponse { Status = 200 });
            }

            return response;
        }
    }
}
