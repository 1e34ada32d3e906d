using Delivery.Core.MultiStatus;

namespace Delivery.Destinations.Tests.Testing;

/// <summary>Assertions on a handler's MultiStatus answer.</summary>
internal static class ResponseAssert
{
    public static void Success(MultiStatusResponse response, int index)
        => Assert.IsType<ActionDestinationSuccessResponse>(response.GetResponseAtIndex(index));

    public static ActionDestinationErrorResponse Error(MultiStatusResponse response, int index, int status, string? errorType = null)
    {
        var error = Assert.IsType<ActionDestinationErrorResponse>(response.GetResponseAtIndex(index));
        Assert.Equal(status, error.Status);
        if (errorType is not null)
        {
            Assert.Equal(errorType, error.ErrorType);
        }

        return error;
    }

    public static void Unset(MultiStatusResponse response, int index) => Assert.Null(response.GetResponseAtIndex(index));
}
