namespace Delivery.Testing;

/// <summary>One case the kit runs: the batch, how the server answers, and how the handler must end the call.</summary>
internal sealed record ConformanceScenario(string Name, int Size, ServerMode Mode, Expectation Expect)
{
    /// <summary>Batch indices of events built with <see cref="ConformanceOptions.InvalidEvent"/>.</summary>
    public IReadOnlySet<int> Invalid { get; init; } = new HashSet<int>();

    /// <summary>Batch index → status of the events the API rejects (wherever they appear in a request).</summary>
    public IReadOnlyDictionary<int, int> Rejected { get; init; } = new Dictionary<int, int>();

    /// <summary>The whole-request status in <see cref="ServerMode.Status"/>.</summary>
    public int Status { get; init; }

    /// <summary>The Retry-After header to send, computed when the request arrives; null for none.</summary>
    public Func<TimeProvider, string>? RetryAfter { get; init; }

    /// <summary>The Retry-After the handler must pass on, and how far it may be off (an HTTP-date has second resolution).</summary>
    public (TimeSpan Value, TimeSpan Tolerance)? ExpectedRetryAfter { get; init; }
}
