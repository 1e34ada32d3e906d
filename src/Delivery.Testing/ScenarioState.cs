namespace Delivery.Testing;

/// <summary>What the server saw during one scenario; written by request threads, read by the checker afterwards.</summary>
internal sealed class ScenarioState : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, EventVerdict> _verdicts = [];
    private readonly HashSet<int> _sent = [];
    private readonly CancellationTokenSource _release = new();
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;
    private Exception? _scriptError;

    public ScenarioState(ConformanceScenario scenario, EventMarkers markers)
    {
        Scenario = scenario;
        Markers = markers;
    }

    public ConformanceScenario Scenario { get; }

    public EventMarkers Markers { get; }

    /// <summary>Cancelled when the scenario is over: held requests end.</summary>
    public CancellationToken Released => _release.Token;

    /// <summary>Completes when the first request has arrived.</summary>
    public Task FirstRequest => _firstRequest.Task;

    public int Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests;
            }
        }
    }

    public Exception? ScriptError
    {
        get
        {
            lock (_gate)
            {
                return _scriptError;
            }
        }
    }

    /// <summary>Counts a request and returns its number (1-based).</summary>
    public int Arrived(IReadOnlyList<int> items)
    {
        int number;
        lock (_gate)
        {
            number = ++_requests;
            _sent.UnionWith(items);
        }

        _firstRequest.TrySetResult();
        return number;
    }

    public void Record(int batchIndex, EventVerdict verdict)
    {
        lock (_gate)
        {
            _verdicts[batchIndex] = verdict;
        }
    }

    public void ScriptFailed(Exception exception)
    {
        lock (_gate)
        {
            _scriptError ??= exception;
        }
    }

    public EventVerdict? VerdictOf(int batchIndex)
    {
        lock (_gate)
        {
            return _verdicts.GetValueOrDefault(batchIndex);
        }
    }

    public bool WasSent(int batchIndex)
    {
        lock (_gate)
        {
            return _sent.Contains(batchIndex);
        }
    }

    public void Release() => _release.Cancel();

    public void Dispose() => _release.Dispose();
}
