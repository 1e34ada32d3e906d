using System.Text.Json.Nodes;
using Delivery.Core.MultiStatus;

namespace Delivery.Core.Tests.MultiStatus;

public sealed class MultiStatusResponseTests
{
    private static ActionDestinationSuccessResponse Ok(int status = 200) => new() { Status = status };

    private static ActionDestinationErrorResponse Error(int status = 400, string message = "Invalid zip code") => new() { Status = status, ErrorMessage = message };

    [Fact]
    public void SetErrorResponseAtIndex_BeyondEnd_GrowsWithUnsetSlots()
    {
        var ms = new MultiStatusResponse();

        ms.SetErrorResponseAtIndex(3, new() { Status = 400, ErrorMessage = "Invalid zip code" });

        Assert.Equal(4, ms.Length);
        Assert.Null(ms.GetResponseAtIndex(0));
        Assert.Null(ms.GetResponseAtIndex(2));
        Assert.True(ms.IsErrorResponseAtIndex(3));
        Assert.Equal(ErrorCodes.BadRequest, ((ActionDestinationErrorResponse)ms.GetResponseAtIndex(3)!).ErrorType);
        Assert.Equal(0, ms.SuccessCount);
        Assert.Equal(1, ms.ErrorCount);
    }

    [Fact]
    public void New_Empty_NothingSet()
    {
        var ms = new MultiStatusResponse(16);

        Assert.Equal(0, ms.Length);
        Assert.Equal(0, ms.SuccessCount);
        Assert.Equal(0, ms.ErrorCount);
        Assert.Empty(ms.GetAllResponses());
        Assert.Null(ms.GetResponseAtIndex(0));
    }

    [Fact]
    public void PushResponseObject_AfterGrowth_AppendsAfterHighestIndexLeavingHoles()
    {
        var ms = new MultiStatusResponse();
        ms.SetSuccessResponseAtIndex(2, Ok());

        ms.PushResponseObject(Error());
        ms.PushSuccessResponse(Ok(201));
        ms.PushErrorResponse(Error(503));

        Assert.Equal(6, ms.Length);
        Assert.Null(ms.GetResponseAtIndex(0));
        Assert.Null(ms.GetResponseAtIndex(1));
        Assert.True(ms.IsSuccessResponseAtIndex(2));
        Assert.True(ms.IsErrorResponseAtIndex(3));
        Assert.True(ms.IsSuccessResponseAtIndex(4));
        Assert.Equal(503, ms.GetResponseAtIndex(5)!.Status);
        Assert.Equal(2, ms.SuccessCount);
        Assert.Equal(2, ms.ErrorCount);
    }

    [Fact]
    public void UnsetResponseAtIndex_LeavesHoleAndLengthDoesNotShrink()
    {
        var ms = new MultiStatusResponse();
        for (var i = 0; i < 8; i++)
        {
            ms.PushResponseObject(i % 2 == 0 ? Ok() : Error());
        }

        ms.UnsetResponseAtIndex(4);
        ms.UnsetResponseAtIndex(5);
        ms.PushSuccessResponse(Ok());

        Assert.Equal(9, ms.Length);
        Assert.Null(ms.GetResponseAtIndex(4));
        Assert.Null(ms.GetResponseAtIndex(5));
        Assert.False(ms.IsSuccessResponseAtIndex(4));
        Assert.False(ms.IsErrorResponseAtIndex(5));
        Assert.True(ms.IsSuccessResponseAtIndex(8));
        Assert.Equal(4, ms.SuccessCount);
        Assert.Equal(3, ms.ErrorCount);
        var all = ms.GetAllResponses();
        Assert.Equal(9, all.Count);
        Assert.Null(all[4]);
        Assert.Null(all[5]);
    }

    [Fact]
    public void UnsetResponseAtIndex_OutOfRange_NoOp()
    {
        var ms = new MultiStatusResponse();
        ms.PushSuccessResponse(Ok());

        ms.UnsetResponseAtIndex(5);

        Assert.Equal(1, ms.Length);
        Assert.Equal(1, ms.SuccessCount);
    }

    [Fact]
    public void UnsetResponseAtIndex_AtLength_NoOp()
    {
        var ms = new MultiStatusResponse();
        ms.PushSuccessResponse(Ok());

        ms.UnsetResponseAtIndex(1);

        Assert.Equal(1, ms.Length);
        Assert.True(ms.IsSuccessResponseAtIndex(0));
    }

    [Fact]
    public void UnsetResponseAtIndex_AlreadyUnset_CountsUnchanged()
    {
        var ms = new MultiStatusResponse();
        ms.SetErrorResponseAtIndex(1, Error());

        ms.UnsetResponseAtIndex(0);
        ms.UnsetResponseAtIndex(1);
        ms.UnsetResponseAtIndex(1);

        Assert.Equal(2, ms.Length);
        Assert.Equal(0, ms.ErrorCount);
        Assert.Equal(0, ms.SuccessCount);
    }

    [Fact]
    public void SetAtIndex_Overwrite_CountsFollowTheSlot()
    {
        var ms = new MultiStatusResponse();
        ms.SetSuccessResponseAtIndex(0, Ok());
        ms.SetSuccessResponseAtIndex(1, Ok());

        ms.SetErrorResponseAtIndex(1, Error());

        Assert.Equal(1, ms.SuccessCount);
        Assert.Equal(1, ms.ErrorCount);
        Assert.True(ms.IsErrorResponseAtIndex(1));

        ms.PushResponseObjectAtIndex(1, Ok(204));

        Assert.Equal(2, ms.SuccessCount);
        Assert.Equal(0, ms.ErrorCount);
        Assert.Equal(204, ms.GetResponseAtIndex(1)!.Status);
    }

    [Fact]
    public void PushResponseObjectAtIndex_SetsTheSlotAsIs()
    {
        var ms = new MultiStatusResponse();
        var error = Error(422);

        ms.PushResponseObjectAtIndex(2, error);

        Assert.Same(error, ms.GetResponseAtIndex(2));
        Assert.Equal(3, ms.Length);
    }

    [Fact]
    public void NegativeIndex_EveryIndexedMethod_Throws()
    {
        var ms = new MultiStatusResponse();

        Assert.Throws<ArgumentOutOfRangeException>(() => ms.SetSuccessResponseAtIndex(-1, Ok()));
        Assert.Throws<ArgumentOutOfRangeException>(() => ms.SetErrorResponseAtIndex(-1, Error()));
        Assert.Throws<ArgumentOutOfRangeException>(() => ms.PushResponseObjectAtIndex(-1, Ok()));
        Assert.Throws<ArgumentOutOfRangeException>(() => ms.UnsetResponseAtIndex(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ms.GetResponseAtIndex(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ms.IsSuccessResponseAtIndex(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ms.IsErrorResponseAtIndex(-1));
        Assert.Equal(0, ms.Length);
    }

    [Fact]
    public void OutOfRange_GetAndIs_NullAndFalse()
    {
        var ms = new MultiStatusResponse();
        ms.PushSuccessResponse(Ok());

        Assert.Null(ms.GetResponseAtIndex(1));
        Assert.False(ms.IsSuccessResponseAtIndex(1));
        Assert.False(ms.IsErrorResponseAtIndex(1));
        Assert.True(ms.IsSuccessResponseAtIndex(0));
        Assert.False(ms.IsErrorResponseAtIndex(0));
    }

    [Fact]
    public void GetAllResponses_ReturnsCopyNotLiveList()
    {
        var ms = new MultiStatusResponse();
        ms.PushSuccessResponse(Ok());
        var snapshot = ms.GetAllResponses();

        ms.PushErrorResponse(Error());
        ms.UnsetResponseAtIndex(0);

        Assert.Single(snapshot);
        Assert.IsType<ActionDestinationSuccessResponse>(snapshot[0]);
        Assert.Equal(2, ms.GetAllResponses().Count);
        Assert.Null(ms.GetAllResponses()[0]);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(199)]
    [InlineData(300)]
    [InlineData(400)]
    [InlineData(500)]
    public void Success_NonTwoHundredStatus_RejectedAtEveryCallSite(int status)
    {
        var ms = new MultiStatusResponse();
        var bad = Ok(status);

        Assert.Throws<ArgumentException>(() => ms.PushSuccessResponse(bad));
        Assert.Throws<ArgumentException>(() => ms.PushResponseObject(bad));
        Assert.Throws<ArgumentException>(() => ms.SetSuccessResponseAtIndex(0, bad));
        Assert.Throws<ArgumentException>(() => ms.PushResponseObjectAtIndex(3, bad));
        Assert.Equal(0, ms.Length);
        Assert.Equal(0, ms.SuccessCount);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(207)]
    [InlineData(299)]
    public void Error_TwoHundredStatus_RejectedAtEveryCallSite(int status)
    {
        var ms = new MultiStatusResponse();
        var bad = Error(status);

        Assert.Throws<ArgumentException>(() => ms.PushErrorResponse(bad));
        Assert.Throws<ArgumentException>(() => ms.PushResponseObject(bad));
        Assert.Throws<ArgumentException>(() => ms.SetErrorResponseAtIndex(0, bad));
        Assert.Throws<ArgumentException>(() => ms.PushResponseObjectAtIndex(3, bad));
        Assert.Equal(0, ms.Length);
        Assert.Equal(0, ms.ErrorCount);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(299)]
    public void Success_TwoHundredRange_Accepted(int status)
    {
        var ms = new MultiStatusResponse();
        ms.PushSuccessResponse(Ok(status));
        Assert.Equal(1, ms.SuccessCount);
    }

    [Theory]
    [InlineData(199)]
    [InlineData(300)]
    [InlineData(429)]
    [InlineData(599)]
    [InlineData(0)]
    public void Error_NonTwoHundredStatus_Accepted(int status)
    {
        var ms = new MultiStatusResponse();
        ms.PushErrorResponse(Error(status));
        Assert.Equal(1, ms.ErrorCount);
    }

    [Fact]
    public void Error_NullMessage_Rejected()
    {
        var ms = new MultiStatusResponse();
        var e = Assert.Throws<ArgumentException>(() => ms.PushErrorResponse(new ActionDestinationErrorResponse { Status = 400, ErrorMessage = null! }));
        Assert.Contains("ErrorMessage", e.Message, StringComparison.Ordinal);
        Assert.Equal("response", e.ParamName);
    }

    [Fact]
    public void Rejections_MessagesNameTheProblem()
    {
        var ms = new MultiStatusResponse();

        var success = Assert.Throws<ArgumentException>(() => ms.PushSuccessResponse(Ok(503)));
        var error = Assert.Throws<ArgumentException>(() => ms.PushErrorResponse(Error(204)));

        Assert.StartsWith("A success response must have a 2xx status, not 503.", success.Message, StringComparison.Ordinal);
        Assert.StartsWith("An error response must not have a 2xx status (204).", error.Message, StringComparison.Ordinal);
        Assert.Equal("response", success.ParamName);
        Assert.Equal("response", error.ParamName);
    }

    [Fact]
    public void NullResponse_Rejected()
    {
        var ms = new MultiStatusResponse();
        Assert.Throws<ArgumentNullException>(() => ms.PushResponseObject(null!));
        Assert.Throws<ArgumentNullException>(() => ms.SetErrorResponseAtIndex(0, null!));
        Assert.Equal(0, ms.Length);
    }

    [Fact]
    public void RejectedSetBeyondEnd_DoesNotGrow()
    {
        var ms = new MultiStatusResponse();
        Assert.Throws<ArgumentException>(() => ms.SetSuccessResponseAtIndex(5, Ok(500)));
        Assert.Equal(0, ms.Length);
    }

    [Fact]
    public void SetErrorResponseAtIndex_CallersRecordNotMutated()
    {
        var sent = new JsonObject { ["zip"] = "x" };
        var error = new ActionDestinationErrorResponse { Status = 400, ErrorMessage = "Invalid zip code", Sent = sent };
        var copy = error with { };
        var ms = new MultiStatusResponse();

        ms.SetErrorResponseAtIndex(0, error);

        Assert.Equal(copy, error);
        Assert.Equal(ErrorCodes.BadRequest, error.ErrorType);
        Assert.Same(sent, ms.GetResponseAtIndex(0)!.Sent);
    }
}
