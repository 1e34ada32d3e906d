namespace Delivery.Benchmarks.Scenarios;

/// <summary>The pre-produced topic of the raw vs worker comparison.</summary>
internal sealed record RawSource(string Topic, int Events, int Partitions);
