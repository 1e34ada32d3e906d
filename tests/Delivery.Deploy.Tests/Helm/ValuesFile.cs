using System.Security.Cryptography;
using System.Text;

namespace Delivery.Deploy.Tests.Helm;

/// <summary>Writes a values file for a test; the name is the content hash, so equal content shares one render.</summary>
internal static class ValuesFile
{
    public static string Write(string yaml)
    {
        var directory = Path.Combine(Path.GetTempPath(), "delivery-deploy-tests");
        Directory.CreateDirectory(directory);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)))[..16];
        var path = Path.Combine(directory, $"values-{hash}.yaml");
        if (!File.Exists(path))
        {
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, yaml);
            File.Move(temporary, path, overwrite: true);
        }

        return path;
    }
}
