namespace Delivery.Worker.Tests.Cli;

/// <summary>A JSON settings file in a fresh temp directory, deleted on dispose.</summary>
internal sealed class TempSettingsFile : IDisposable
{
    public TempSettingsFile(string json)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "delivery-cli-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "settings.json");
        File.WriteAllText(Path, json);
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
