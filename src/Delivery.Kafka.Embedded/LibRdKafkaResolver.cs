using System.Reflection;
using System.Runtime.InteropServices;

namespace Delivery.Kafka.Embedded;

/// <summary>
/// Resolves this assembly's <c>librdkafka</c> imports to the native file Confluent.Kafka loaded, so one native copy
/// serves both. The public linux-x64 <c>librdkafka.so</c> needs <c>libsasl2.so.3</c>, which Debian 12 lacks;
/// Confluent.Kafka then falls back to <c>centos8-librdkafka.so</c> on its own, and a plain <c>DllImport</c> would not.
/// </summary>
internal static class LibRdKafkaResolver
{
    private const string LibraryName = "librdkafka";
    private static int _registered;

    /// <summary>Installs the resolver for this assembly (idempotent).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(LibRdKafkaResolver).Assembly, Resolve);
        }
    }

    /// <summary>
    /// The path of the librdkafka file mapped into this process after Confluent.Kafka loaded it, or null where the
    /// process maps cannot be read (not Linux).
    /// </summary>
    public static string? LoadedPath()
    {
        // Reading the version makes Confluent.Kafka load its native library (with its own fallbacks) if not yet done.
        _ = Confluent.Kafka.Library.VersionString;
        var paths = LoadedPaths();
        return paths.Count > 0 ? paths[0] : null;
    }

    /// <summary>Every distinct librdkafka file mapped into this process (one, when all callers share a copy).</summary>
    public static IReadOnlyList<string> LoadedPaths()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return [];
        }

        var paths = new List<string>();
        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            var path = line[slash..];
            if (Path.GetFileName(path).Contains(LibraryName, StringComparison.Ordinal) && !paths.Contains(path))
            {
                paths.Add(path);
            }
        }

        return paths;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }

        var loaded = LoadedPath();
        if (loaded is not null && NativeLibrary.TryLoad(loaded, out var handle))
        {
            return handle;
        }

        // Elsewhere (no /proc): the default probing, which finds the same file Confluent.Kafka's default load found.
        return NativeLibrary.TryLoad(libraryName, assembly, searchPath, out handle) ? handle : IntPtr.Zero;
    }
}
