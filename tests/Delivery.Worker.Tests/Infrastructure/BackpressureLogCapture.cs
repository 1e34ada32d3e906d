using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>Records the pipeline's backpressure transitions (EventId 3013): state ("on"/"off") and in-flight count.</summary>
internal sealed class BackpressureLogCapture : ILoggerProvider
{
    /// <summary>The transitions, in order.</summary>
    public ConcurrentQueue<(string State, long InFlightEvents)> Transitions { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(BackpressureLogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 3013 || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }

            var transition = values.FirstOrDefault(v => v.Key == "State").Value as string ?? "?";
            var inFlight = values.FirstOrDefault(v => v.Key == "InFlightEvents").Value is long n ? n : -1;
            owner.Transitions.Enqueue((transition, inFlight));
        }
    }
}
