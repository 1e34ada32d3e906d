namespace Delivery.Worker.Tests.Docs;

/// <summary>Finds files of the repository the tests were built from.</summary>
internal static class RepositoryFiles
{
    public static string Root
    {
        get
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

    public static string Read(params string[] relative) => File.ReadAllText(Path.Combine([Root, .. relative]));
}
