using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Health;

/// <summary>An in-test status source whose destination states the test sets.</summary>
internal sealed class FakeStatusSource : IPipelineStatusSource
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DestinationStatus> _statuses = new(StringComparer.Ordinal);

    public void Set(string destination, DestinationState state, string? detail = null)
    {
        lock (_gate)
        {
            _statuses[destination] = new DestinationStatus(destination, state, 0, 0, detail);
        }
    }

    public IReadOnlyList<DestinationStatus> Snapshot()
    {
        lock (_gate)
        {
            return [.. _statuses.Values.OrderBy(static s => s.Destination, StringComparer.Ordinal)];
        }
    }
}
