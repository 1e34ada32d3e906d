using Delivery.Core.MultiStatus;

namespace Delivery.Core.Tests.MultiStatus;

public sealed class MultiStatusResponseTests
{
    [Fact]
    public void SetErrorResponseAtIndex_BeyondEnd_GrowsWithUnsetSlots()
    {
        var ms = new MultiStatusResponse();

        ms.SetErrorResponseAtIndex(3, new() { Status = 400, ErrorMessage = "Invalid zip code" });

        Assert.Equal(4, ms.Length);
        Assert.Null(ms.GetResponseAtIndex(0));
        Assert.True(ms.IsErrorResponseAtIndex(3));
        Assert.Equal(ErrorCodes.BadRequest, ((ActionDestinationErrorResponse)ms.GetResponseAtIndex(3)!).ErrorType);
        Assert.Equal(0, ms.SuccessCount);
        Assert.Equal(1, ms.ErrorCount);
    }
}
