using System.Text.Json.Nodes;
using Delivery.Core.MultiStatus;

namespace Delivery.Core.Tests.MultiStatus;

public sealed class ValidatedBatchTests
{
    private static readonly string?[] Payloads = ["a@x.org", null, "c@x.org", null, "e@x.org"];

    private static string? RequireEmail(string? email) => email is null ? "Either \"email\" or \"phone\" is required." : null;

    [Fact]
    public void Create_InvalidItems_ErrorsAtOriginalIndices()
    {
        var ms = new MultiStatusResponse();

        var batch = ValidatedBatch.Create(Payloads, ms, RequireEmail);

        Assert.Equal(["a@x.org", "c@x.org", "e@x.org"], batch.Valid);
        Assert.Same(ms, batch.Response);
        Assert.True(ms.IsErrorResponseAtIndex(1));
        Assert.True(ms.IsErrorResponseAtIndex(3));
        var error = (ActionDestinationErrorResponse)ms.GetResponseAtIndex(1)!;
        Assert.Equal(400, error.Status);
        Assert.Equal(ErrorCodes.PayloadValidationFailed, error.ErrorType);
        Assert.Equal("Either \"email\" or \"phone\" is required.", error.ErrorMessage);
        Assert.Null(error.Sent);
        Assert.Null(error.Body);
        Assert.Null(ms.GetResponseAtIndex(0));
        Assert.Equal(2, ms.ErrorCount);
    }

    [Fact]
    public void ToOriginalIndex_MapsFilteredToOriginal()
    {
        var batch = ValidatedBatch.Create(Payloads, new MultiStatusResponse(), RequireEmail);

        Assert.Equal(0, batch.ToOriginalIndex(0));
        Assert.Equal(2, batch.ToOriginalIndex(1));
        Assert.Equal(4, batch.ToOriginalIndex(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.ToOriginalIndex(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.ToOriginalIndex(-1));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void ContainsFilteredIndex_Bounds(int index, bool contained)
        => Assert.Equal(contained, ValidatedBatch.Create(Payloads, new MultiStatusResponse(), RequireEmail).ContainsFilteredIndex(index));

    [Fact]
    public void SetAllValidSuccess_OnlyValidOriginalSlots_WithFilteredIndex()
    {
        var ms = new MultiStatusResponse();
        var batch = ValidatedBatch.Create(Payloads, ms, RequireEmail);
        var seen = new List<int>();

        batch.SetAllValidSuccess(i =>
        {
            seen.Add(i);
            return new ActionDestinationSuccessResponse { Status = 200, Sent = JsonValue.Create(batch.Valid[i]) };
        });

        Assert.Equal([0, 1, 2], seen);
        Assert.Equal(3, ms.SuccessCount);
        Assert.Equal(2, ms.ErrorCount);
        Assert.Equal("e@x.org", ms.GetResponseAtIndex(4)!.Sent!.GetValue<string>());
        Assert.True(ms.IsErrorResponseAtIndex(3));
    }

    [Fact]
    public void SetResponseAtFilteredIndex_WritesOriginalSlot()
    {
        var ms = new MultiStatusResponse();
        var batch = ValidatedBatch.Create(Payloads, ms, RequireEmail);

        batch.SetErrorResponseAtFilteredIndex(1, new() { Status = 422, ErrorMessage = "bad" });
        batch.SetSuccessResponseAtFilteredIndex(2, new() { Status = 201 });

        Assert.Equal(422, ms.GetResponseAtIndex(2)!.Status);
        Assert.Equal(201, ms.GetResponseAtIndex(4)!.Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.SetErrorResponseAtFilteredIndex(3, new() { Status = 500, ErrorMessage = "x" }));
    }

    [Fact]
    public void Create_AllValid_IdentityMap()
    {
        var ms = new MultiStatusResponse();
        var batch = ValidatedBatch.Create(["a", "b"], ms, _ => null);

        Assert.Equal(["a", "b"], batch.Valid);
        Assert.Equal(1, batch.ToOriginalIndex(1));
        Assert.Equal(0, ms.Length);
    }

    [Fact]
    public void Create_AllInvalid_NothingToSend()
    {
        var ms = new MultiStatusResponse();
        var batch = ValidatedBatch.Create(["a", "b"], ms, _ => "no");

        Assert.Empty(batch.Valid);
        Assert.False(batch.ContainsFilteredIndex(0));
        Assert.Equal(2, ms.ErrorCount);
    }

    [Fact]
    public void Create_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ValidatedBatch.Create<string>(null!, new MultiStatusResponse(), _ => null));
        Assert.Throws<ArgumentNullException>(() => ValidatedBatch.Create(["a"], null!, _ => null));
        Assert.Throws<ArgumentNullException>(() => ValidatedBatch.Create(["a"], new MultiStatusResponse(), null!));
        Assert.Throws<ArgumentNullException>(() => ValidatedBatch.Create(["a"], new MultiStatusResponse(), _ => null).SetAllValidSuccess(null!));
    }
}
