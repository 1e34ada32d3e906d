namespace Delivery.Worker.Pipeline;

/// <summary>
/// The lifecycle of one pipeline run, shared by every stage: stop requested, draining, aborted. Flags are written
/// once (false → true) and read anywhere.
/// </summary>
internal sealed class PipelineRun : IDisposable
{
    private readonly CancellationTokenSource _abort = new();
    private volatile bool _stopRequested;
    private volatile bool _draining;

    /// <summary>StopAsync was called.</summary>
    public bool StopRequested => _stopRequested;

    /// <summary>The consume loop stopped feeding batches and waits for in-flight work (shutdown).</summary>
    public bool Draining => _draining;

    /// <summary>Cancelled when the drain budget is spent or the pipeline is disposed: everything in flight gives up.</summary>
    public CancellationToken Aborted => _abort.Token;

    /// <summary>True once aborted.</summary>
    public bool IsAborted => _abort.IsCancellationRequested;

    public void RequestStop() => _stopRequested = true;

    public void BeginDrain() => _draining = true;

    public void Abort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed: nothing is running any more.
        }
    }

    public void Dispose() => _abort.Dispose();
}
