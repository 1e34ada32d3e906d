using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Delivery.Core;
using Delivery.Core.Events;
using Delivery.Core.MultiStatus;

namespace Delivery.Testing;

/// <summary>
/// The conformance kit's entry point: runs a destination handler against a real Kestrel server on 127.0.0.1 through
/// the cases that matter and checks the handler contract on each answer.
/// </summary>
/// <example>
/// <code>
/// var report = await DestinationConformance.RunAsync(
///     target => new MyApiHandler(new HttpClient { BaseAddress = target.BaseAddress, Timeout = target.RequestTimeout }),
///     new ConformanceOptions { Answer = exchange => exchange.Rejections.Count == 0 ? ApiAnswer.Empty(200) : MyApi207(exchange) });
/// ConformanceAssert.Passes(report);
/// </code>
/// </example>
public static class DestinationConformance
{
    private static readonly DateTimeOffset SourceTime = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>
    /// Runs every scenario: <paramref name="createHandler"/> is called once per scenario with the server's address and
    /// the timeout to use (a handler that is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> is disposed
    /// after its scenario). Returns the report; it throws only for bad options, or when <paramref name="createHandler"/> or <see cref="ConformanceOptions.Answer"/> throws (a setup error, not a verdict).
    /// </summary>
    public static async Task<ConformanceReport> RunAsync(
        Func<ConformanceTarget, IDestinationHandler> createHandler,
        ConformanceOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createHandler);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var notRun = new List<string>();
        var scenarios = ConformanceScenarios.For(options, notRun);
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var results = new List<ConformanceScenarioResult>(scenarios.Count);
        var server = await ConformanceServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            for (var number = 0; number < scenarios.Count; number++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var state = new ScenarioState(scenarios[number], new EventMarkers(run, number));
                // Only the timeout scenario builds the handler with the short RequestTimeout; every other one with Grace,
                // so a slow (shared CI) machine does not time out the requests of healthy scenarios.
                var timeout = scenarios[number].Mode == ServerMode.Hang ? options.RequestTimeout : options.Grace;
                var target = new ConformanceTarget(server.BaseAddress, timeout, options.Destination);
                results.Add(await RunScenarioAsync(server, state, target, createHandler, options, cancellationToken).ConfigureAwait(false));
            }
        }

        return new ConformanceReport(results, notRun);
    }

    /// <summary>Runs <see cref="RunAsync"/> and throws <see cref="ConformanceException"/> (the report as message) unless it passed.</summary>
    public static async Task<ConformanceReport> AssertConformsAsync(
        Func<ConformanceTarget, IDestinationHandler> createHandler,
        ConformanceOptions options,
        CancellationToken cancellationToken = default)
    {
        var report = await RunAsync(createHandler, options, cancellationToken).ConfigureAwait(false);
        ConformanceAssert.Passes(report);
        return report;
    }

    private static async Task<ConformanceScenarioResult> RunScenarioAsync(
        ConformanceServer server,
        ScenarioState state,
        ConformanceTarget target,
        Func<ConformanceTarget, IDestinationHandler> createHandler,
        ConformanceOptions options,
        CancellationToken cancellationToken)
    {
        var scenario = state.Scenario;
        var batch = Batch(scenario, state.Markers, options);
        server.Begin(state);
        var handler = createHandler(target) ?? throw new InvalidOperationException("createHandler returned null.");
        CallOutcome outcome;
        try
        {
            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var started = TimeProvider.System.GetTimestamp();
            if (scenario.Expect == Expectation.CancelledBefore)
            {
                await call.CancelAsync().ConfigureAwait(false);
            }

            var task = Invoke(handler, batch, call.Token);
            if (scenario.Expect == Expectation.Cancelled)
            {
                // Cancel once the request is in flight (or the handler already ended, or the grace ran out).
                Task arrived = Task.WhenAny(state.FirstRequest, task).WaitAsync(options.Grace, cancellationToken);
                await arrived.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                var cancelled = TimeProvider.System.GetTimestamp();
                await call.CancelAsync().ConfigureAwait(false);
                outcome = await EndAsync(task, options.Grace, started).ConfigureAwait(false);
                outcome = outcome with { AfterCancel = TimeProvider.System.GetElapsedTime(cancelled) };
            }
            else
            {
                outcome = await EndAsync(task, target.RequestTimeout + options.Grace, started).ConfigureAwait(false);
            }

            if (!outcome.Completed)
            {
                // Give the stuck call a chance to end before the next scenario starts.
                state.Release();
                await call.CancelAsync().ConfigureAwait(false);
                await EndAsync(task, options.Grace, started).ConfigureAwait(false);
            }
        }
        finally
        {
            state.Release();
            await DisposeAsync(handler).ConfigureAwait(false);
        }

        if (state.ScriptError is { } scriptError)
        {
            throw new InvalidOperationException($"ConformanceOptions.Answer threw in scenario '{scenario.Name}': {scriptError.Message}", scriptError);
        }

        var violations = ConformanceChecker.Check(state, batch, outcome, options);
        return new ConformanceScenarioResult(scenario.Name, batch.Count, state.Requests, outcome.Elapsed, outcome.Describe(), violations);
    }

    private static async Task<MultiStatusResponse> Invoke(IDestinationHandler handler, DeliveryBatch batch, CancellationToken cancellationToken)
        => await handler.SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);

    private static async Task<CallOutcome> EndAsync(Task<MultiStatusResponse> task, TimeSpan limit, long started)
    {
        try
        {
            var response = await task.WaitAsync(limit).ConfigureAwait(false);
            return new CallOutcome(response, null, true, TimeProvider.System.GetElapsedTime(started));
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            return new CallOutcome(null, null, false, TimeProvider.System.GetElapsedTime(started));
        }
#pragma warning disable CA1031 // Whatever the handler throws is the outcome under test.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new CallOutcome(null, ex, true, TimeProvider.System.GetElapsedTime(started));
        }
    }

    private static async ValueTask DisposeAsync(IDestinationHandler handler)
    {
        if (handler is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (handler is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private static DeliveryBatch Batch(ConformanceScenario scenario, EventMarkers markers, ConformanceOptions options)
    {
        var events = new DeliveryEvent[scenario.Size];
        for (var i = 0; i < events.Length; i++)
        {
            var id = markers.EventId(i);
            var value = scenario.Invalid.Contains(i) ? options.InvalidEvent!(i, id) : options.ValidEvent(i, id);
            if (!value.Contains(id, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The value built for event {i} does not contain its event id '{id}' (ConformanceOptions.ValidEvent / InvalidEvent must include it).");
            }

            events[i] = new DeliveryEvent
            {
                EventId = id,
                Key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"key-{i}")),
                Value = Encoding.UTF8.GetBytes(value),
                Origin = new EventOrigin("conformance", 0, i, SourceTime),
                FirstAttemptAt = SourceTime,
            };
        }

        return new DeliveryBatch(options.Destination, events);
    }
}
