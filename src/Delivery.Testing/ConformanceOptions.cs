namespace Delivery.Testing;

/// <summary>
/// How the API under test answers, and how events of the handler's kind look. The kit supplies the scenarios; the
/// options describe the API: <see cref="Answer"/> is the only required member.
/// </summary>
public sealed class ConformanceOptions
{
    /// <summary>
    /// Required. The API's answer to a request whose items <see cref="ApiExchange.Rejections"/> lists as rejected
    /// (the rest accepted), e.g. <c>200</c> when nothing is rejected and a <c>207</c> naming the rejected indices
    /// otherwise. Called for the all-success, partial, pre-validation and batch-of-one scenarios, and (with every
    /// item rejected) for the malformed and truncated answers, whose body the kit then garbles.
    /// </summary>
    public required Func<ApiExchange, ApiAnswer> Answer { get; init; }

    /// <summary>
    /// The value (UTF-8 text) of valid event <c>i</c>; it must contain <c>eventId</c> verbatim, so the kit can find
    /// which events a request carries. Default <c>{"id":"{eventId}","email":"user{i}@example.com","n":i}</c>.
    /// </summary>
    public Func<int, string, string> ValidEvent { get; init; } = DefaultValidEvent;

    /// <summary>
    /// The value of an event the handler must reject itself without sending it (pre-validation), e.g. one missing a
    /// required field; it must contain <c>eventId</c>. Default null: the handler has no pre-validation and the
    /// <c>pre-validation</c> scenario is not run (the report says so).
    /// </summary>
    public Func<int, string, string>? InvalidEvent { get; init; }

    /// <summary>
    /// The per-request timeout the handler is built with in the timeout scenario (<see cref="ConformanceTarget.RequestTimeout"/>),
    /// whose server holds the answer until the handler gives up. Default 1 s; 100 ms to 1 min. The other scenarios
    /// build the handler with <see cref="Grace"/>, so no healthy request times out on a slow machine.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long beyond the handler's request timeout a call may take before <see cref="ConformanceRule.CompletesInTime"/>
    /// is broken, how long a cancelled call may take to end, and the request timeout of every scenario but the
    /// timeout one. Default 10 s (generous for shared CI machines); 1 s to 5 min.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The destination name the batches carry. Default <c>conformance</c>.</summary>
    public string Destination { get; init; } = "conformance";

    internal static string DefaultValidEvent(int index, string eventId)
        => $"{{\"id\":\"{eventId}\",\"email\":\"user{index}@example.com\",\"n\":{index}}}";

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Answer);
        ArgumentNullException.ThrowIfNull(ValidEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(Destination);
        if (RequestTimeout < TimeSpan.FromMilliseconds(100) || RequestTimeout > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "RequestTimeout must be between 100 ms and 1 min.");
        }

        if (Grace < TimeSpan.FromSeconds(1) || Grace > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentOutOfRangeException(nameof(Grace), Grace, "Grace must be between 1 s and 5 min.");
        }
    }
}
