using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Delivery.Worker.Logging;

/// <summary>Writes formatted events to a <see cref="TextWriter"/> (tests and in-process CLI runs capture logs this way).</summary>
internal sealed class TextWriterSink(TextWriter output, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, output);
            output.Flush();
        }
    }
}
