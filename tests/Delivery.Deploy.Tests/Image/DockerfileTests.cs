using System.Text.RegularExpressions;
using Delivery.Deploy.Tests.Helm;

namespace Delivery.Deploy.Tests.Image;

/// <summary>
/// No Docker engine runs here, so the image cannot be built in the suite; these checks keep the Dockerfile and the
/// chart consistent with each other.
/// </summary>
public sealed class DockerfileTests
{
    private static string Dockerfile => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "Dockerfile"));

    [Fact]
    public void Dockerfile_Always_MultiStageSdkToAspnetRuntime()
    {
        var stages = Regex.Matches(Dockerfile, @"^FROM\s+(\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}", "mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}"], stages);
        Assert.Matches(@"(?m)^ARG DOTNET_VERSION=10\.0$", Dockerfile);
        Assert.Contains("src/Delivery.Worker/Delivery.Worker.csproj", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeStage_Gen0Budget_SameAsBuildShRunAndBenchAndTheSampleImage()
    {
        // The benchmarks measure the worker with the runtime settings of the image; the three must not drift apart.
        var runtime = Dockerfile[Dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];
        var image = Regex.Match(runtime, @"DOTNET_GCgen0size=(0x[0-9A-Fa-f]+)").Groups[1].Value;
        var build = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "build.sh"));
        var sample = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "Dockerfile"));

        Assert.Equal("0x4000000", image);
        Assert.Equal(2, build.Split("export DOTNET_GCgen0size=\"${DOTNET_GCgen0size:-" + image + "}\"").Length - 1);
        Assert.Contains($"DOTNET_GCgen0size={image}", sample[sample.LastIndexOf("FROM ", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RuntimeUser_Always_MatchesTheChartsRunAsUser()
    {
        var chart = await ChartRenders.DefaultsAsync();
        var user = Regex.Matches(Dockerfile, @"^USER\s+(\d+)(?::(\d+))?\s*$", RegexOptions.Multiline);

        var last = Assert.Single(user);
        Assert.Equal((string?)chart.WorkerContainer["securityContext"]!["runAsUser"]!.ToString(), last.Groups[1].Value);
        Assert.Equal((string?)chart.WorkerContainer["securityContext"]!["runAsGroup"]!.ToString(), last.Groups[2].Value);
    }

    [Fact]
    public async Task Entrypoint_Always_RunsTheWorkerDllWithTheChartsDefaultCommand()
    {
        var chart = await ChartRenders.DefaultsAsync();

        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/delivery-worker.dll\"]", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("CMD [\"run\"]", Dockerfile, StringComparison.Ordinal);
        Assert.Equal(["run"], chart.WorkerContainer["args"]!.AsArray().Select(a => (string?)a));
        Assert.DoesNotMatch(@"(?m)^ENV[^\n]*Delivery__", Dockerfile);
    }
}
