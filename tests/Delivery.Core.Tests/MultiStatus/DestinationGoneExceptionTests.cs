using Delivery.Core.MultiStatus;

namespace Delivery.Core.Tests.MultiStatus;

public sealed class DestinationGoneExceptionTests
{
    [Fact]
    public void New_Full_Status410EndpointAndRetryAfter()
    {
        var e = new DestinationGoneException("the endpoint is gone", "https://hooks.example.org:8443", TimeSpan.FromMinutes(5));

        Assert.IsAssignableFrom<DestinationUnavailableException>(e);
        Assert.Equal("the endpoint is gone", e.Message);
        Assert.Equal(410, e.Status);
        Assert.Equal("https://hooks.example.org:8443", e.Endpoint);
        Assert.Equal(TimeSpan.FromMinutes(5), e.RetryAfter);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void New_Default_GenericMessage410NoEndpoint()
    {
        var e = new DestinationGoneException();

        Assert.Equal("The destination is gone (410).", e.Message);
        Assert.Equal(410, e.Status);
        Assert.Equal(string.Empty, e.Endpoint);
        Assert.Null(e.RetryAfter);
    }

    [Fact]
    public void New_MessageOnly_And_MessageWithInner_410()
    {
        var inner = new InvalidOperationException();

        var plain = new DestinationGoneException("gone");
        var wrapped = new DestinationGoneException("gone", inner);

        Assert.Equal("gone", plain.Message);
        Assert.Equal(410, plain.Status);
        Assert.Equal(string.Empty, plain.Endpoint);
        Assert.Same(inner, wrapped.InnerException);
        Assert.Equal(410, wrapped.Status);
        Assert.Equal(string.Empty, wrapped.Endpoint);
        Assert.Null(wrapped.RetryAfter);
    }
}
