using Delivery.Core.MultiStatus;
using Delivery.Worker.Pipeline;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Delivery.Worker.Tests.Pipeline;

/// <summary>The call pipeline's rules on a fake clock: which failures open the breaker, and the handler timeout.</summary>
public sealed class HandlerResilienceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = PipelineUnits.Clock();

    private readonly PipelineOptions _tuning = new()
    {
        CircuitMinimumThroughput = 2,
        CircuitFailureRatio = 0.5,
        CircuitSamplingDuration = TimeSpan.FromSeconds(30),
        CircuitBreakDuration = TimeSpan.FromSeconds(5),
        HandlerTimeout = TimeSpan.FromSeconds(5),
    };

    private ResiliencePipeline Call()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        HandlerResilience.ConfigureCall(builder, _tuning);
        return builder.Build();
    }

    private static async Task<Exception?> RunAsync(ResiliencePipeline pipeline, Exception thrown)
    {
        try
        {
            await pipeline.ExecuteAsync(_ => ValueTask.FromException(thrown));
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public async Task ConfigureCall_DestinationLevelFailuresAtTheMinimumThroughput_OpenTheCircuitForTheBreakDuration()
    {
        var pipeline = Call();
        await RunAsync(pipeline, new DestinationUnavailableException("down", 503));
        await RunAsync(pipeline, new DestinationUnavailableException("down", 503));

        var calls = 0;
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.CompletedTask; }));
        Assert.Equal(0, calls);

        _time.Advance(_tuning.CircuitBreakDuration);
        await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.CompletedTask; });
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ConfigureCall_OneFailureBelowTheMinimumThroughput_CircuitStaysClosed()
    {
        var pipeline = Call();
        await RunAsync(pipeline, new DestinationUnavailableException("down", 503));

        Assert.Null(await RunAsync(pipeline, new DestinationUnavailableException("ok", 503)) as BrokenCircuitException);
    }

    [Fact]
    public async Task ConfigureCall_OrdinaryHandlerExceptions_NeverOpenTheCircuit()
    {
        var pipeline = Call();

        for (var i = 0; i < 10; i++)
        {
            Assert.IsType<InvalidOperationException>(await RunAsync(pipeline, new InvalidOperationException("bug in one event")));
        }
    }

    [Fact]
    public async Task ConfigureCall_HandlerSlowerThanHandlerTimeout_TimedOutAfterExactlyThatLong()
    {
        var pipeline = Call();
        var started = new TaskCompletionSource();

        var call = pipeline.ExecuteAsync(async ct =>
        {
            var never = new TaskCompletionSource();
            using var registration = ct.Register(() => never.TrySetCanceled(ct));
            started.TrySetResult();
            await never.Task;
        }).AsTask();
        await started.Task.WaitAsync(Deadline);
        _time.Advance(_tuning.HandlerTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call.WaitAsync(Deadline));
    }

    [Fact]
    public async Task ConfigureCall_TimeoutsAtTheMinimumThroughput_OpenTheCircuit()
    {
        var pipeline = Call();

        await RunAsync(pipeline, new TimeoutRejectedException());
        await RunAsync(pipeline, new TimeoutRejectedException());

        Assert.IsType<BrokenCircuitException>(await RunAsync(pipeline, new InvalidOperationException()));
    }

    [Fact]
    public void Keys_CallAndHoldOfADestination_DistinctAndUnderThePrefix()
    {
        Assert.StartsWith(HandlerResilience.KeyPrefix, HandlerResilience.CallKey("orders"), StringComparison.Ordinal);
        Assert.StartsWith(HandlerResilience.KeyPrefix, HandlerResilience.HoldKey("orders"), StringComparison.Ordinal);
        Assert.Contains("orders", HandlerResilience.CallKey("orders"), StringComparison.Ordinal);
        Assert.NotEqual(HandlerResilience.CallKey("orders"), HandlerResilience.HoldKey("orders"));
        Assert.NotEqual(HandlerResilience.CallKey("orders"), HandlerResilience.CallKey("audit"));
    }

    [Fact]
    public void Configure_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => HandlerResilience.ConfigureCall(null!, _tuning));
        Assert.Throws<ArgumentNullException>(() => HandlerResilience.ConfigureCall(new ResiliencePipelineBuilder(), null!));
        Assert.Throws<ArgumentNullException>(() => HandlerResilience.ConfigureHold(null!));
    }
}
