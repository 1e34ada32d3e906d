namespace Delivery.Destinations.Http;

/// <summary>
/// A secret kept in a file (a mounted Kubernetes secret, for example). The content is cached and read again only
/// when the file's last-write time or length changes, so rotated secrets are picked up without a restart.
/// </summary>
internal sealed class FileSecret
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private DateTime _writtenAt;
    private long _length;
    private string? _value;

    public FileSecret(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
    }

    /// <summary>The file's content without surrounding whitespace. Throws <see cref="IOException"/> when it cannot be read.</summary>
    public string Read()
    {
        var info = new FileInfo(_path);
        if (!info.Exists)
        {
            throw new FileNotFoundException("The secret file does not exist.", _path);
        }

        var writtenAt = info.LastWriteTimeUtc;
        var length = info.Length;
        lock (_gate)
        {
            if (_value is not null && writtenAt == _writtenAt && length == _length)
            {
                return _value;
            }
        }

        var value = File.ReadAllText(_path).Trim();
        lock (_gate)
        {
            _value = value;
            _writtenAt = writtenAt;
            _length = length;
        }

        return value;
    }
}
