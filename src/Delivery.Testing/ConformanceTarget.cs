namespace Delivery.Testing;

/// <summary>Where the handler under test must send: the kit's server and the timeout it must use.</summary>
/// <param name="BaseAddress">The scripted server, <c>http://127.0.0.1:{port}/</c>; every path is answered.</param>
/// <param name="RequestTimeout">
/// The per-request timeout the handler must apply (e.g. <c>Http:Timeout</c>): <see cref="ConformanceOptions.RequestTimeout"/>
/// in the timeout scenario, <see cref="ConformanceOptions.Grace"/> in every other one.
/// </param>
/// <param name="Destination">The destination name used in batches.</param>
public sealed record ConformanceTarget(Uri BaseAddress, TimeSpan RequestTimeout, string Destination);
