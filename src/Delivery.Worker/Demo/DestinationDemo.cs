using System.Diagnostics.CodeAnalysis;
using Delivery.Testing;

namespace Delivery.Worker;

/// <summary>
/// How <c>demo</c> drives a custom destination type: the demo API answers with <see cref="Answer"/> (the same
/// callback the conformance kit takes), the destination gets <see cref="Settings"/>, and the generated events look
/// like <see cref="Event"/>.
/// </summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Part of the public entry point of custom worker executables.")]
public sealed record DestinationDemo
{
    /// <summary>
    /// Required. The API's answer to a request whose items <see cref="ApiExchange.Rejections"/> lists as rejected (the
    /// demo rejects about <c>--bad-rate</c> with 400 and <c>--failure-rate</c> with 429/503), e.g. 200 or a 207.
    /// </summary>
    public required Func<ApiExchange, ApiAnswer> Answer { get; init; }

    /// <summary>Keys under <c>Delivery:Destinations:demo</c> the type needs, e.g. <c>["Settings:ListId"] = "demo"</c>.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// The value (JSON text) of generated event <c>n</c>; it must contain <c>id</c> verbatim (the demo API finds the
    /// events of a request by it). Default an order: <c>{"orderId":"{id}","product":…,"quantity":…,"zip":…}</c>.
    /// </summary>
    public Func<long, string, string>? Event { get; init; }
}
