namespace Delivery.Deploy.Tests.Helm;

/// <summary>A throwaway copy of the chart in a temp folder, for renders that need the chart altered.</summary>
internal sealed class ChartCopy : IDisposable
{
    private readonly string _root;

    public ChartCopy(Func<string, bool>? include = null)
    {
        _root = Path.Combine(Path.GetTempPath(), "delivery-deploy-tests", "chart-" + Guid.NewGuid().ToString("N"));
        Chart = Path.Combine(_root, "delivery-worker");
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Chart, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryPaths.Chart, file);
            if (include is not null && !include(relative))
            {
                continue;
            }

            var destination = Path.Combine(Chart, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    /// <summary>The copied chart's folder.</summary>
    public string Chart { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
