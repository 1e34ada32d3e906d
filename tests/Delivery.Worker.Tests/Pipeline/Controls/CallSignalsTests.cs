using Delivery.Core.MultiStatus;
using Delivery.Worker.Pipeline.Controls;

namespace Delivery.Worker.Tests.Pipeline.Controls;

public sealed class CallSignalsTests
{
    [Theory]
    [InlineData(429, null, "Overloaded")]
    [InlineData(503, null, "Overloaded")]
    [InlineData(500, 3, "Overloaded")]
    [InlineData(500, null, "Neutral")]
    [InlineData(504, null, "Neutral")]
    public void Of_WholeRequestFailure_OverloadedOn429Or503OrRetryAfter(int status, int? retryAfterSeconds, string expected)
        => Assert.Equal(Enum.Parse<CallSignal>(expected), CallSignals.Of(new DestinationUnavailableException("x", status, retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null)));

    [Fact]
    public void Of_OrdinaryException_Neutral() => Assert.Equal(CallSignal.Neutral, CallSignals.Of(new InvalidOperationException()));

    [Theory]
    [InlineData(429, false, "Overloaded")]
    [InlineData(503, false, "Overloaded")]
    [InlineData(500, true, "Overloaded")]
    [InlineData(500, false, "Healthy")]
    [InlineData(400, false, "Healthy")]
    public void Of_Answer_OverloadedWhenAnyEventIs429Or503OrHasRetryAfter(int status, bool retryAfter, string expected)
    {
        var response = new MultiStatusResponse();
        response.PushSuccessResponse(new ActionDestinationSuccessResponse { Status = 200 });
        response.PushErrorResponse(new ActionDestinationErrorResponse { Status = status, ErrorMessage = "e", RetryAfter = retryAfter ? TimeSpan.FromSeconds(1) : null });

        Assert.Equal(Enum.Parse<CallSignal>(expected), CallSignals.Of(response));
    }

    [Fact]
    public void Of_NullAnswer_Throws() => Assert.Throws<ArgumentNullException>(() => CallSignals.Of((MultiStatusResponse)null!));
}
