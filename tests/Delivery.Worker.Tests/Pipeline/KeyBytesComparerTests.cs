using System.Text;
using Delivery.Worker.Pipeline;

namespace Delivery.Worker.Tests.Pipeline;

public sealed class KeyBytesComparerTests
{
    private static readonly KeyBytesComparer Comparer = KeyBytesComparer.Instance;

    [Fact]
    public void Equals_SameBytesInTwoArrays_Equal()
    {
        Assert.True(Comparer.Equals(Encoding.UTF8.GetBytes("k1"), Encoding.UTF8.GetBytes("k1")));
        Assert.Equal(Comparer.GetHashCode(Encoding.UTF8.GetBytes("k1")), Comparer.GetHashCode(Encoding.UTF8.GetBytes("k1")));
    }

    [Fact]
    public void Equals_EmptyKeyAndNoKey_NotEqual()
    {
        Assert.False(Comparer.Equals([], null));
        Assert.False(Comparer.Equals(null, []));
        Assert.True(Comparer.Equals(null, null));
    }

    [Fact]
    public void GetHashCode_DifferentKeys_SpreadOverHashes()
    {
        var hashes = Enumerable.Range(0, 100).Select(i => Comparer.GetHashCode(Encoding.UTF8.GetBytes($"key-{i}"))).Distinct().Count();

        Assert.True(hashes > 90, $"{hashes} distinct hashes for 100 keys");
    }

    [Fact]
    public void GetHashCode_Null_Throws() => Assert.Throws<ArgumentNullException>(() => Comparer.GetHashCode(null!));
}
