using BenchmarkDotNet.Loggers;

namespace Delivery.Benchmarks.Micro;

/// <summary>Passes BenchmarkDotNet's errors, warnings and headers to the console; drops the per-iteration chatter.</summary>
internal sealed class QuietBenchmarkLogger : ILogger
{
    public string Id => nameof(QuietBenchmarkLogger);

    public int Priority => 0;

    public void Write(LogKind logKind, string text)
    {
        if (logKind is LogKind.Error or LogKind.Warning)
        {
            Console.Write(text);
        }
    }

    public void WriteLine()
    {
    }

    public void WriteLine(LogKind logKind, string text)
    {
        if (logKind is LogKind.Error or LogKind.Warning || (logKind == LogKind.Header && text.StartsWith("// Benchmark:", StringComparison.Ordinal)))
        {
            Console.WriteLine("  " + text);
        }
    }

    public void Flush() => Console.Out.Flush();
}
