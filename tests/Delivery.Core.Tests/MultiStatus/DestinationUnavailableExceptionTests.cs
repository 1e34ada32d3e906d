using Delivery.Core.MultiStatus;

namespace Delivery.Core.Tests.MultiStatus;

public sealed class DestinationUnavailableExceptionTests
{
    [Fact]
    public void New_Full_KeepsEverything()
    {
        var inner = new TimeoutException();

        var e = new DestinationUnavailableException("Nakadi answered 503", 503, TimeSpan.FromSeconds(9), inner);

        Assert.Equal("Nakadi answered 503", e.Message);
        Assert.Equal(503, e.Status);
        Assert.Equal(TimeSpan.FromSeconds(9), e.RetryAfter);
        Assert.Same(inner, e.InnerException);
    }

    [Fact]
    public void New_Default_GenericMessageNoStatus()
    {
        var e = new DestinationUnavailableException();

        Assert.Equal("The destination is unavailable.", e.Message);
        Assert.Null(e.Status);
        Assert.Null(e.RetryAfter);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void New_MessageOnly_And_MessageWithInner()
    {
        var inner = new InvalidOperationException();

        var plain = new DestinationUnavailableException("down");
        var wrapped = new DestinationUnavailableException("down", inner);

        Assert.Equal("down", plain.Message);
        Assert.Null(plain.Status);
        Assert.Same(inner, wrapped.InnerException);
        Assert.Null(wrapped.RetryAfter);
    }
}
