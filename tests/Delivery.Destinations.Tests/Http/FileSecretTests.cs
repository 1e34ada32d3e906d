using Delivery.Destinations.Http;

namespace Delivery.Destinations.Tests.Http;

public sealed class FileSecretTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("delivery-secret-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void New_BlankPath_Throws(string path) => Assert.Throws<ArgumentException>(() => new FileSecret(path));

    [Fact]
    public void Read_Missing_FileNotFoundNamingNoContent()
    {
        var secret = new FileSecret(Path.Combine(_directory, "absent"));

        var ex = Assert.Throws<FileNotFoundException>(secret.Read);

        Assert.Equal("The secret file does not exist.", ex.Message);
    }

    [Fact]
    public async Task Read_Content_TrimmedAndRereadWhenChanged()
    {
        var path = Path.Combine(_directory, "s");
        await File.WriteAllTextAsync(path, "  first\n");
        var secret = new FileSecret(path);

        Assert.Equal("first", secret.Read());
        await File.WriteAllTextAsync(path, "second-longer\n");
        Assert.Equal("second-longer", secret.Read());
    }
}
