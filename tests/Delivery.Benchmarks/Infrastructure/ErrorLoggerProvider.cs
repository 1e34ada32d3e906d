using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Delivery.Benchmarks.Infrastructure;

/// <summary>Writes log entries at or above a level to stderr (the worker's errors must not go unnoticed in a run).</summary>
internal sealed class ErrorLoggerProvider(LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Console.Error.WriteLine($"  {Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1000) % 1_000_000:D6} [{logLevel}] {category}[{eventId.Id}] {formatter(state, exception)}");
            }
        }
    }
}
