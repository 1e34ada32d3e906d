using Delivery.Core.MultiStatus;

namespace Delivery.Core.Tests.MultiStatus;

public sealed class ActionDestinationErrorResponseTests
{
    [Theory]
    [InlineData(400, ErrorCodes.BadRequest)]
    [InlineData(429, ErrorCodes.TooManyRequests)]
    [InlineData(503, ErrorCodes.ServiceUnavailable)]
    [InlineData(598, ErrorCodes.UnknownError)]
    public void ErrorType_NotGiven_InferredFromStatus(int status, string expected)
        => Assert.Equal(expected, new ActionDestinationErrorResponse { Status = status, ErrorMessage = "m" }.ErrorType);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void ErrorType_NullOrEmpty_InferredFromStatus(string? given)
        => Assert.Equal(ErrorCodes.Conflict, new ActionDestinationErrorResponse { Status = 409, ErrorMessage = "m", ErrorType = given! }.ErrorType);

    [Fact]
    public void ErrorType_Given_Kept()
    {
        var error = new ActionDestinationErrorResponse { Status = 400, ErrorMessage = "m", ErrorType = ErrorCodes.PayloadValidationFailed };
        Assert.Equal(ErrorCodes.PayloadValidationFailed, error.ErrorType);
    }

    [Fact]
    public void With_StatusChanged_InferenceFollowsNewStatus()
    {
        var error = new ActionDestinationErrorResponse { Status = 400, ErrorMessage = "m" };

        var changed = error with { Status = 503 };

        Assert.Equal(ErrorCodes.ServiceUnavailable, changed.ErrorType);
        Assert.Equal(ErrorCodes.BadRequest, error.ErrorType);
    }

    [Fact]
    public void RetryAfter_DefaultsToNull()
    {
        var error = new ActionDestinationErrorResponse { Status = 429, ErrorMessage = "slow down" };
        Assert.Null(error.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), (error with { RetryAfter = TimeSpan.FromSeconds(3) }).RetryAfter);
    }
}
