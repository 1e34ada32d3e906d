namespace Delivery.Deploy.Tests.Helm;

/// <summary>Paths inside the repository, found by walking up from the test binaries to Delivery.sln.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Chart => Path.Combine(Root, "deploy", "helm", "delivery-worker");

    public static string TwoDestinationsExample => Path.Combine(Chart, "examples", "two-destinations.yaml");

    /// <summary>The helm binary: <c>DELIVERY_HELM</c>, else <c>.tools/helm</c> from the bootstrap.</summary>
    public static string Helm
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("DELIVERY_HELM");
            return string.IsNullOrWhiteSpace(fromEnvironment) ? Path.Combine(Root, ".tools", "helm") : fromEnvironment;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Delivery.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Delivery.sln not found above {AppContext.BaseDirectory}");
    }
}
