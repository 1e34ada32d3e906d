using System.Text.RegularExpressions;
using System.Xml.Linq;
using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Image;

/// <summary>
/// No Docker engine runs here, so the images are not built in the suite: these checks keep each Dockerfile's restore
/// step in step with the projects it builds (every project in the reference closure and every file they import is
/// copied before <c>dotnet restore</c>), and its entry point with the project's assembly name.
/// </summary>
public sealed class DockerfileRestoreInputsTests
{
    [Theory]
    [InlineData("deploy/Dockerfile", "src/Delivery.Worker/Delivery.Worker.csproj")]
    [InlineData("samples/Dockerfile", "samples/Acme.Contacts.Worker/Acme.Contacts.Worker.csproj")]
    public void Dockerfile_RestoreStep_CopiesEveryProjectAndImportItNeeds(string dockerfile, string project)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, dockerfile));
        var restore = text.IndexOf("dotnet restore", StringComparison.Ordinal);
        Assert.True(restore > 0, "no dotnet restore step");
        var copied = Regex.Matches(text[..restore], @"^COPY\s+(?!--)(.+)\s+\S+$", RegexOptions.Multiline)
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var needed in RestoreInputs(project))
        {
            Assert.True(copied.Contains(needed), $"{dockerfile} does not copy {needed} before restoring");
        }
    }

    [Theory]
    [InlineData("deploy/Dockerfile", "src/Delivery.Worker/Delivery.Worker.csproj")]
    [InlineData("samples/Dockerfile", "samples/Acme.Contacts.Worker/Acme.Contacts.Worker.csproj")]
    public void Dockerfile_EntryPoint_IsTheProjectsAssembly(string dockerfile, string project)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, dockerfile));
        var assembly = XDocument.Load(Path.Combine(RepositoryPaths.Root, project)).Descendants("AssemblyName").Single().Value;

        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"/app/{assembly}.dll\"]", text, StringComparison.Ordinal);
    }

    /// <summary>Repository-relative paths: the project closure and every file a project imports from eng/.</summary>
    private static SortedSet<string> RestoreInputs(string project)
    {
        var inputs = new SortedSet<string>(StringComparer.Ordinal) { "Directory.Build.props", "Directory.Packages.props", "eng/BannedSymbols.txt" };
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!inputs.Add(current))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(current)!;
            var xml = XDocument.Load(Path.Combine(RepositoryPaths.Root, current));
            foreach (var import in xml.Descendants("Import").Select(e => (string?)e.Attribute("Project")).OfType<string>())
            {
                inputs.Add(Normalize(Path.Combine(directory, import)));
            }

            foreach (var reference in xml.Descendants("ProjectReference").Select(e => (string?)e.Attribute("Include")).OfType<string>())
            {
                pending.Push(Normalize(Path.Combine(directory, reference)));
            }
        }

        return inputs;
    }

    private static string Normalize(string path)
        => Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(RepositoryPaths.Root, path))).Replace('\\', '/');
}
