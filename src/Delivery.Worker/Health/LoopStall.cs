namespace Delivery.Worker.Health;

/// <summary>A destination whose consume loop has not turned for longer than the bound.</summary>
/// <param name="Destination">Destination name.</param>
/// <param name="Since">How long ago the loop last turned.</param>
internal sealed record LoopStall(string Destination, TimeSpan Since);
