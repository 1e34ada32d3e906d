using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Delivery.Worker.Tests.Infrastructure;

/// <summary>Writes log lines to the test output (warnings and above by default).</summary>
internal sealed class XunitLoggerProvider(ITestOutputHelper output, LogLevel minimum) : ILoggerProvider
{
    /// <summary>How many times each EventId was logged (from Information up), whatever the output level.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<int, int> Counts { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, output, categoryName, minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(XunitLoggerProvider owner, ITestOutputHelper output, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Counts.AddOrUpdate(eventId.Id, 1, static (_, n) => n + 1);
            if (logLevel < minimum)
            {
                return;
            }

            try
            {
                output.WriteLine($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished.
            }
        }
    }
}
